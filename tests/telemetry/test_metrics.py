"""Metrics: Prometheus text that parses, with the queue read from the database."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from avatarsynth.telemetry import exposition, metrics


def samples(text: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_every_family_is_exposed_and_parses() -> None:
    found = samples(exposition(lambda: (3, 1, 12.5)))
    assert found[("avatarsynth_jobs_waiting", ())] == 3
    assert found[("avatarsynth_jobs_running", ())] == 1
    assert found[("avatarsynth_oldest_waiting_job_age_seconds", ())] == 12.5
    assert ("avatarsynth_jobs_succeeded_total", ()) in found
    assert ("avatarsynth_render_seconds_total", ()) in found
    assert ("avatarsynth_video_seconds_total", ()) in found


def test_counters_move() -> None:
    before = samples(exposition())
    metrics().jobs_failed.labels("InsufficientStorage").inc()
    metrics().http_latency.labels("/healthz", "GET").observe(0.003)
    after = samples(exposition())
    key = ("avatarsynth_jobs_failed_total", (("reason", "InsufficientStorage"),))
    assert after[key] == before.get(key, 0) + 1
    bucket = (
        "avatarsynth_http_request_duration_seconds_bucket",
        (("le", "0.005"), ("method", "GET"), ("route", "/healthz")),
    )
    assert after[bucket] == before.get(bucket, 0) + 1
