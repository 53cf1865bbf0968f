"""User-facing errors: one clear line that names the bad field or value."""


class NeurosimError(ValueError):
    """A problem with what the user asked for; the CLI prints it as one line and exits 2."""


class TrainingDiverged(NeurosimError):
    """A value became NaN or infinite during training (overflow, a learning rate that diverges)."""

    def __init__(self, step: int, quantity: str, value: float):
        self.step = step
        self.quantity = quantity
        self.value = value
        super().__init__(
            f"training stopped at step {step}: {quantity} = {value} is not a finite number "
            "(the learning rate may be too large, or the data overflows the activation)"
        )
