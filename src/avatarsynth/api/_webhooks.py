"""Webhooks (an extension): ``properties.webhookUrl`` on create is called once the job is
``Succeeded`` or ``Failed``, with the job as the API shows it.

Each call is a POST signed as Stripe and Synthesia sign theirs:
``Avatarsynth-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>``, with
``Avatarsynth-Delivery`` (the same id on every attempt, to drop repeats) and
``Avatarsynth-Event``. The secret is per API key: ``GET /avatar/webhooks/secret`` answers it.
Calls go through the fetch rules of ``backgroundImage`` (https to public addresses unless the
operator allows more), from a background round that one API process runs at a time; a receiver
that is down never touches the job, and failed calls are retried (see ``jobs._deliveries``).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import time
from typing import Any

from fastapi import APIRouter, Request

from avatarsynth.api._services import OwnerDep, Services, ServicesDep
from avatarsynth.api._wire import current_job
from avatarsynth.errors import AvatarsynthError
from avatarsynth.fetch import connect
from avatarsynth.jobs import Deliveries, Due, Periodic, fetch_policy, utcnow
from avatarsynth.telemetry import metrics

_LOG = logging.getLogger(__name__)
router = APIRouter(prefix="/avatar/webhooks")


def secret_for(services: Services, owner: str) -> str:
    return services.signer.derive(f"webhook:{owner}")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``v1`` value: hex HMAC-SHA256 over ``timestamp + "." + body``."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


@router.get("/secret")
def webhook_secret(services: ServicesDep, owner: OwnerDep) -> dict[str, str]:
    """The secret that signs this key's webhook calls."""
    return {"secret": secret_for(services, owner)}


class Webhooks:
    """The background round: give finished jobs their call, make the calls that are due."""

    def __init__(self, services: Services, interval_s: float = 1.0) -> None:
        self.services = services
        self.deliveries = Deliveries(services.store.engine)
        self.periodic = Periodic(services.store, interval_s, {"webhooks": self.run_once})

    def start(self) -> None:
        self.periodic.start()

    def stop(self) -> None:
        self.periodic.stop()

    def run_once(self) -> None:
        now = utcnow()
        for job in self.deliveries.newly_finished():
            body = json.dumps(current_job(job, self._request(), self.services))
            self.deliveries.finished(job.internal_id, job.status, body, now)
        for due in self.deliveries.due(now):
            try:
                self._send(due)
            except (AvatarsynthError, OSError, http.client.HTTPException) as exc:
                _LOG.info("Webhook %s (try %d) failed: %s", due.delivery_id, due.attempts + 1, exc)
                retry_s = self.services.settings.webhook_retry_s
                self.deliveries.failed(due, str(exc), utcnow(), retry_s)
                metrics().webhook_deliveries.labels("failed").inc()
            else:
                self.deliveries.delivered(due.delivery_id, utcnow())
                metrics().webhook_deliveries.labels("delivered").inc()

    def _send(self, due: Due) -> None:
        body = due.body.encode()
        timestamp = int(time.time())
        sign = signature(secret_for(self.services, due.owner), timestamp, body)
        connection, target = connect(due.url, fetch_policy(self.services.settings))
        try:
            connection.request(
                "POST",
                target,
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": "avatarsynth-webhooks",
                    "Avatarsynth-Signature": f"t={timestamp},v1={sign}",
                    "Avatarsynth-Delivery": due.delivery_id,
                    "Avatarsynth-Event": due.event,
                },
            )
            status = connection.getresponse().status
        finally:
            connection.close()
        if not 200 <= status < 300:
            raise OSError(f"the receiver answered {status}")

    def _request(self) -> Request:
        """A stand-in request, for result URLs in the body: the public URL when configured,
        else the address this server listens on."""
        settings = self.services.settings
        scope: dict[str, Any] = {
            "type": "http",
            "scheme": "http",
            "server": (settings.host, settings.port),
            "path": "/",
            "root_path": "",
            "query_string": b"",
            "headers": [],
        }
        return Request(scope)
