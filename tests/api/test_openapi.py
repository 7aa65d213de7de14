"""The OpenAPI document describes what the service really does: it validates, every route has
its bodies and an error envelope on every error status, no 422 (never sent), ``/docs`` works
offline, and thousands of generated requests get answers that match it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from tests.api.conftest import KEY, embedded_app

from avatarsynth.api._openapi import DOCS
from avatarsynth.config import load_settings

CASES = 150
SLOW_CASES = 50
"""Per route: 150, and 50 where one case costs about five times as much (the creates, whose
bodies are deep, and the list of 745 voices): about 2,350 generated requests in all."""
SLOW = {"PUT", "POST"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The real app with its runners started (jobs finish, so finished shapes are checked
    too) and a fake renderer."""
    app = embedded_app(load_settings(data_dir=tmp_path_factory.mktemp("openapi"), api_keys=(KEY,)))
    with TestClient(app) as found:
        yield found


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def test_the_document_validates_and_documents_every_route(document: dict[str, Any]) -> None:
    validate(document)
    operations = {
        (method, path): op
        for path, item in document["paths"].items()
        for method, op in item.items()
    }
    assert set(operations) == set(DOCS)
    for (method, path), operation in operations.items():
        assert "422" not in operation["responses"], (method, path)
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}, (method, path)
    create = operations[("put", "/avatar/batchsyntheses/{job_id}")]
    body = create["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/AvatarJobCreate"}
    assert body["example"]["avatarConfig"]["talkingAvatarCharacter"] == "lisa"
    assert create["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AvatarJob"
    }
    job = document["components"]["schemas"]["AvatarJob"]
    assert {"id", "status", "avatarConfig", "properties"} <= set(job["required"])


def test_docs_are_served_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r"""(?:src|href)=["']([^"']+)""", page.text)
    assert sources and all(source.startswith("/") for source in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert "cdn" not in page.text.lower()


def requests_only(app: Any) -> Any:
    """The app without its lifespan: the test client started it once (schemathesis would
    start it again for every request)."""

    async def serve(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return
        while (await receive())["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})

    return serve


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,  # a fixed seed: the same cases on every run
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


def test_generated_requests_get_documented_answers(client: TestClient) -> None:
    """No 500, and every answer's status and body as the document says, for every route."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", requests_only(client.app))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(DOCS)
    for operation in operations:
        slow = operation.method.upper() in SLOW or operation.path.endswith("/voices/list")

        @_settings(SLOW_CASES if slow else CASES)
        @given(case=operation.as_strategy())
        def answers_as_documented(case: schemathesis.Case) -> None:
            case.call_and_validate(
                headers={"Ocp-Apim-Subscription-Key": KEY},
                checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
            )

        answers_as_documented()
