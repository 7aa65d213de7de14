"""Structured logs: each line knows its request and job, and no secret gets through."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from avatarsynth.telemetry import (
    ContextFilter,
    JsonFormatter,
    TextFormatter,
    bind,
    redact,
    register_secret,
    timed,
)

Captured = tuple[logging.Logger, io.StringIO, logging.Handler]


@pytest.fixture
def captured() -> Iterator[Captured]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(ContextFilter())
    top = logging.getLogger("avatarsynth")  # where ``timed`` logs, too
    level = top.level
    top.addHandler(handler)
    top.setLevel(logging.INFO)
    yield logging.getLogger("avatarsynth.test-logs"), out, handler
    top.removeHandler(handler)
    top.setLevel(level)


def test_json_lines_carry_the_bound_ids_stage_and_duration(captured: Captured) -> None:
    logger, out, handler = captured
    handler.setFormatter(JsonFormatter())
    with bind(request_id="req-1", job_id="my-job", internal_id="int-1"):
        logger.info("rendering %d inputs", 2)
        with timed("render", inputs="1"):
            pass
    logger.info("outside")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0]["message"] == "rendering 2 inputs"
    assert (lines[0]["request_id"], lines[0]["job_id"], lines[0]["internal_id"]) == (
        "req-1",
        "my-job",
        "int-1",
    )
    assert lines[0]["level"] == "INFO" and lines[0]["time"].endswith("+00:00")
    assert lines[1]["stage"] == "render" and lines[1]["outcome"] == "done"
    assert isinstance(lines[1]["duration_s"], float) and lines[1]["inputs"] == "1"
    assert "job_id" not in lines[2] and "request_id" not in lines[2]


def test_text_lines_append_the_ids(captured: Captured) -> None:
    logger, out, handler = captured
    handler.setFormatter(TextFormatter())
    with bind(job_id="my-job"):
        logger.warning("slow")
    assert out.getvalue().rstrip().endswith("slow [job_id=my-job]")


def test_a_failed_stage_is_logged_as_failed_with_its_duration(captured: Captured) -> None:
    _logger, out, handler = captured
    handler.setFormatter(JsonFormatter())
    with pytest.raises(ValueError), timed("encode"):
        raise ValueError("boom")
    line = json.loads(out.getvalue().splitlines()[-1])
    assert (line["stage"], line["outcome"]) == ("encode", "ValueError")


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("GET /results/j/0001.mp4?se=1893456000&sig=Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4"),
        (
            "PUT https://acct.blob.core.windows.net/c/f.mp4?sv=2024-11-04&sp=cw&sig=ab%2Bcd%3D",
            "ab%2Bcd%3D",
        ),
        (
            "https://s3.local/b/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIAEXAMPLE%2F2026"
            "&X-Amz-Signature=deadbeefcafe",
            "deadbeefcafe",
        ),
        ("broker amqp://avatarsynth:s3cretpass@rabbit:5672//", "s3cretpass"),
        ("postgresql+psycopg://app:hunter22@db:5432/x", "hunter22"),
        ("headers {'Ocp-Apim-Subscription-Key': 'k-123456789'}", "k-123456789"),
    ],
)
def test_credential_shapes_are_masked(text: str, secret: str) -> None:
    masked = redact(text)
    assert secret not in masked and "***" in masked


def test_registered_secrets_are_masked_anywhere() -> None:
    register_secret("my-api-key-0123456789")
    assert redact("key my-api-key-0123456789 in a sentence") == "key *** in a sentence"
    assert "AKIA" in redact("AKIA is not registered")


def test_tracebacks_are_redacted_too(captured: Captured) -> None:
    logger, out, handler = captured
    handler.setFormatter(JsonFormatter())
    try:
        raise RuntimeError("fetch https://h/x?sig=topsecretsig failed")
    except RuntimeError:
        logger.exception("failed")
    assert "topsecretsig" not in out.getvalue()
