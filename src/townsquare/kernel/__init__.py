"""Layer 0: ids, the clock protocol, the root error and value types shared by every layer."""

from townsquare.kernel._clock import Clock, FixedClock, SystemClock
from townsquare.kernel._errors import (
    AuthenticationRequiredError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    TownsquareError,
)
from townsquare.kernel._ids import (
    LARGEST_ID,
    MAX_WORKER,
    OFFLINE_WORKER,
    SEQUENCE_LIMIT,
    IdWorkerRetiredError,
    SnowflakeGenerator,
    snowflake_floor,
    snowflake_time,
)
from townsquare.kernel._periodic import PeriodicTask

__all__ = [
    "LARGEST_ID",
    "MAX_WORKER",
    "OFFLINE_WORKER",
    "SEQUENCE_LIMIT",
    "AuthenticationRequiredError",
    "Clock",
    "ConflictError",
    "FixedClock",
    "IdWorkerRetiredError",
    "InvalidInputError",
    "NotFoundError",
    "PeriodicTask",
    "PermissionDeniedError",
    "RateLimitedError",
    "SnowflakeGenerator",
    "SystemClock",
    "TownsquareError",
    "snowflake_floor",
    "snowflake_time",
]
