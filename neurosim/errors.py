"""User-facing errors: one clear line that names the bad field or value."""


class NeurosimError(ValueError):
    """A problem with what the user asked for; the CLI prints it as one line and exits 2."""


class TrainingDiverged(NeurosimError):
    """A value became NaN or infinite during training (overflow, a learning rate that diverges).

    The message names the step (and the sample of a batch step), the neuron, the quantity and
    its value: "training stopped at step 6, neuron h1: dE/dout_h1 = -inf is not a finite number (…)",
    and in parentheses the cause the values point to (core/divergence.py).
    """

    def __init__(self, step: int, quantity: str, value: float, neuron: str | None = None,
                 sample: int | None = None,
                 cause: str = "the learning rate may be too large, or the data overflows the activation"):
        self.step = step
        self.quantity = quantity
        self.value = value
        self.neuron = neuron
        self.sample = sample
        self.cause = cause
        where = f"step {step}" + (f", sample {sample}" if sample is not None else "")
        if neuron is not None:
            where += f", neuron {neuron}"
        super().__init__(
            f"training stopped at {where}: {quantity} = {value} is not a finite number ({cause})"
        )
