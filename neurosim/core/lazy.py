"""`Lazy`: a tuple of records made when they are read (core/trace.py's per-weight records);
`Deferred`: a tuple made at once when it is first read (a learning rule's records of one update)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence


class Lazy(Sequence):
    """A tuple of records made on first use, make(*values[i]) for the i-th: a large step's records
    (the terms of every weighted sum, the share of every weight in every sample) cost what is read
    of them. Compares, hashes and prints as the tuple it stands for."""

    __slots__ = ("_values", "_make", "_made")

    def __init__(self, values: Sequence[tuple], make: Callable):
        self._values, self._make, self._made = values, make, None

    @property
    def values(self) -> Sequence[tuple]:
        return self._values

    @property
    def make(self) -> Callable:
        return self._make

    @property
    def made(self) -> Sequence | None:
        """The records made so far (None: none yet; a tuple once all are)."""
        return self._made

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self)[index]
        if self._made is None:
            self._made = [None] * len(self._values)
        made = self._made[index]  # IndexError, negative indices: as a list
        if made is None:
            made = self._made[index] = self._make(*self._values[index])
        return made

    def __iter__(self) -> Iterator:
        made = self._made
        if type(made) is not tuple:  # (a tuple: every record made; a list: some, by index)
            made = self._made = tuple([self._make(*v) for v in self._values] if made is None else
                                      [m if m is not None else self._make(*v) for m, v in zip(made, self._values)])
        return iter(made)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


class Deferred(Sequence):
    """A tuple made on first use, all at once, by make(*args): the records a learning rule keeps of
    one update (core/rules/base.py, `Rule.apply`) cost nothing until they are read. Compares, hashes
    and prints as the tuple it stands for."""

    __slots__ = ("_make", "_args", "_made")

    def __init__(self, make: Callable, args: tuple):
        self._make, self._args, self._made = make, args, None

    def _tuple(self) -> tuple:
        if self._made is None:
            self._made = tuple(self._make(*self._args))
            self._make = self._args = None  # made once: what it was made of is not needed any more
        return self._made

    def __len__(self) -> int:
        return len(self._tuple())

    def __getitem__(self, index):
        return self._tuple()[index]

    def __iter__(self) -> Iterator:
        return iter(self._tuple())

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and self._tuple() == tuple(other)

    def __hash__(self) -> int:
        return hash(self._tuple())

    def __repr__(self) -> str:
        return repr(self._tuple())
