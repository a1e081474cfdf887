"""Audit services over a dataset built from counts (`factories`), for the publication tests
and pages: one whose comparable posts alert, one that does not alert."""

from dataclasses import replace

from audits.factories import biased_dataset, simpson_dataset
from townsquare.app import Services
from townsquare.audits import AuditDataset, ImpartialityAudits
from townsquare.kernel import Clock, SystemClock


def audits_over(
    services: Services, dataset: AuditDataset, clock: Clock | None = None
) -> ImpartialityAudits:
    """The audit service of `services`, auditing `dataset` instead of the server's data."""
    return ImpartialityAudits(
        services.db, services.ledger, clock or SystemClock(), dataset=lambda _conn: dataset
    )


def alerting(services: Services) -> Services:
    """`services` whose audit finds group A's comparable posts restricted twice as often."""
    return replace(services, audits=audits_over(services, biased_dataset()))


def quiet(services: Services) -> Services:
    """`services` whose audit finds no disparity between comparable posts."""
    return replace(services, audits=audits_over(services, simpson_dataset()))
