"""Password hashing with argon2id."""

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["Passwords"]


@dataclass(frozen=True)
class Passwords:
    """argon2id with RFC 9106's second recommended profile by default (64 MiB, 3 passes).

    Tests and the demo world pass cheaper parameters; stored hashes carry their own parameters,
    so changing them later re-hashes nothing and verifies everything.
    """

    time_cost: int = 3
    memory_cost_kib: int = 65536
    parallelism: int = 4

    def _hasher(self) -> PasswordHasher:
        return PasswordHasher(
            time_cost=self.time_cost,
            memory_cost=self.memory_cost_kib,
            parallelism=self.parallelism,
        )

    def hash(self, password: str) -> str:
        return self._hasher().hash(password)

    def matches(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher().verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def dummy_check(self) -> None:
        """Spend the time of one verification, so an unknown handle answers no faster."""
        self.matches(self.hash("unused"), "not-the-password")
