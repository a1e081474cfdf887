"""Submitting checkpoints to witnesses (c2sp.org/tlog-witness@v1, the log's side).

For each new or re-signed checkpoint, and each configured witness:

    POST <witness URL>/add-checkpoint
    old <size the witness last cosigned>
    <consistency proof from that size, one base64 hash a line>
    (blank line)
    <the signed checkpoint>

A 200 answer carries cosignature lines, which are checked and stored with the checkpoint, so
`/ledger/checkpoint` serves them. A 409 answer says which size the witness really holds
(`text/x.tlog.size`): the submission is retried once from there. Other answers are logged:
a witness being down must never stop the log.
"""

import base64
import logging
from collections.abc import Sequence

import httpx

from townsquare.ledger._checkpoint import Checkpoint
from townsquare.ledger._codec import parse_decimal
from townsquare.ledger._errors import LedgerError
from townsquare.ledger._keys import Verifier
from townsquare.ledger._log import LedgerLog
from townsquare.settings import LedgerWitness

__all__ = ["WitnessSubmitter"]

_log = logging.getLogger(__name__)
_CONFLICT = 409


class WitnessSubmitter:
    """Sends each checkpoint of `log` to `witnesses` over `http` and stores their cosignatures."""

    def __init__(
        self, log: LedgerLog, witnesses: Sequence[LedgerWitness], http: httpx.Client
    ) -> None:
        self._log = log
        self._witnesses = [(w.url, Verifier.from_vkey(w.vkey)) for w in witnesses]
        self._http = http

    def submit(self, checkpoint: Checkpoint) -> None:
        """Submit `checkpoint` to every witness; failures are logged, never raised."""
        for url, witness in self._witnesses:
            try:
                self._submit_to(url, witness, checkpoint)
            except (httpx.HTTPError, LedgerError) as error:
                _log.warning("witness %s did not cosign size %d: %s", url, checkpoint.size, error)

    def _submit_to(self, url: str, witness: Verifier, checkpoint: Checkpoint) -> None:
        old_size = min(self._log.cosigned_size(witness), checkpoint.size)
        response = self._post(url, old_size, checkpoint)
        if response.status_code == _CONFLICT:  # the witness holds another size: start there
            old_size = parse_decimal(response.text.strip(), "witness size")
            response = self._post(url, old_size, checkpoint)
        if response.status_code != httpx.codes.OK:
            raise LedgerError(f"expected 200, found {response.status_code}: {response.text[:200]}")
        for line in response.text.splitlines(keepends=True):
            self._log.add_cosignature(checkpoint.size, witness, line)

    def _post(self, url: str, old_size: int, checkpoint: Checkpoint) -> httpx.Response:
        proof = self._log.consistency_proof(old_size, checkpoint.size)
        lines = [f"old {old_size}", *(base64.b64encode(h).decode() for h in proof)]
        note = self._log.checkpoint_note_at(checkpoint.size)
        body = ("\n".join(lines) + "\n\n").encode() + note
        return self._http.post(f"{url}/add-checkpoint", content=body, timeout=5.0)
