"""The avatar list (an extension), gestures and background images at create time."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from tests.api.conftest import V, body

JOB = "/avatar/batchsyntheses"
GESTURE = (
    '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">Hi. '
    '<bookmark mark="gesture.{}"/>Welcome.</voice></speak>'
)


def _ssml(gesture: str, **avatar: Any) -> dict[str, Any]:
    payload = body(GESTURE.format(gesture), **{"talkingAvatarStyle": "graceful-sitting", **avatar})
    payload["inputKind"] = "SSML"
    return payload


def test_the_avatar_list_names_every_style_with_gestures_and_a_preview(
    client: TestClient,
) -> None:
    listing = client.get("/avatar/characters").json()["characters"]
    names = ["celine", "harry", "jeff", "lisa", "lori", "malik", "max", "meg", "nia", "rowan"]
    assert [c["name"] for c in listing] == names
    lisa = {s["name"]: s for s in next(c for c in listing if c["name"] == "lisa")["styles"]}
    graceful = lisa["graceful-sitting"]
    assert {"wave-left-1", "thumbsup-left", "show-right-5"} <= set(graceful["gestures"])
    assert graceful["posture"] == "sitting" and lisa["graceful-standing"]["posture"] == "standing"
    assert graceful["defaultResolution"] == {"width": 1920, "height": 1080}
    image = TestClient(client.app).get(graceful["previewUrl"])  # no key: a signed URL
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    tampered = graceful["previewUrl"].replace("sig=", "sig=0")
    assert client.get(tampered).status_code == 404


def test_the_characters_without_a_style_are_listed_with_a_preview(client: TestClient) -> None:
    listing = client.get("/avatar/characters").json()["characters"]
    (nia,) = next(c for c in listing if c["name"] == "nia")["styles"]
    assert nia["name"] == "" and "hello" in nia["gestures"]
    image = TestClient(client.app).get(nia["previewUrl"])
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_a_character_without_a_style_takes_gestures_with_the_style_omitted(
    client: TestClient,
) -> None:
    payload = _ssml("hello", talkingAvatarCharacter="rowan")
    del payload["avatarConfig"]["talkingAvatarStyle"]
    assert client.put(f"{JOB}/job-r1", params=V, json=payload).status_code == 201
    payload = _ssml("show-front-1", talkingAvatarCharacter="rowan", talkingAvatarStyle="")
    response = client.put(f"{JOB}/job-r2", params=V, json=payload)
    assert response.status_code == 400 and "'rowan'; use one of" in response.text


def test_every_gesture_of_azures_table_is_accepted_at_create_time(client: TestClient) -> None:
    table = resources.files("avatarsynth.avatar") / "data" / "azure-gestures.tsv"
    per_style: dict[tuple[str, str], list[str]] = {}
    for line in table.read_text().splitlines()[1:]:
        character, style, name = line.split("\t")
        per_style.setdefault((character, style), []).append(name)
    for index, ((character, style), names) in enumerate(sorted(per_style.items())):
        marks = "".join(
            f'<bookmark mark="gesture.{name}"/>Word{n}. ' for n, name in enumerate(names)
        )
        payload = _ssml("hello", talkingAvatarCharacter=character, talkingAvatarStyle=style)
        payload["inputs"][0]["content"] = GESTURE.replace('<bookmark mark="gesture.{}"/>', marks)
        response = client.put(f"{JOB}/job-all-{index}", params=V, json=payload)
        assert response.status_code == 201, (character, style, response.text)


def test_a_portrait_resolution_is_accepted_and_echoed(client: TestClient) -> None:
    payload = _ssml("hello", talkingAvatarCharacter="rowan", talkingAvatarStyle="")
    payload["avatarConfig"]["resolution"] = {"x": 1080, "y": 1920}
    created = client.put(f"{JOB}/job-p1", params=V, json=payload)
    assert created.status_code == 201, created.text
    assert created.json()["avatarConfig"]["resolution"] == {"x": 1080, "y": 1920}
    payload["avatarConfig"]["resolution"] = {"x": 8000, "y": 1920}
    refused = client.put(f"{JOB}/job-p2", params=V, json=payload)
    assert refused.status_code == 400 and "320 to 3840" in refused.json()["error"]["message"]


def test_avatar_size_and_position_are_echoed_and_refused_naming_the_field(
    client: TestClient,
) -> None:
    payload = _ssml("hello", talkingAvatarCharacter="rowan", talkingAvatarStyle="")
    placed = {"avatarSize": {"x": 960, "y": 540}, "avatarPosition": {"x": 960, "y": 540}}
    payload["avatarConfig"].update(placed)
    created = client.put(f"{JOB}/job-s1", params=V, json=payload)
    assert created.status_code == 201, created.text
    assert {name: created.json()["avatarConfig"][name] for name in placed} == placed
    payload["avatarConfig"]["avatarPosition"] = {"x": 1900, "y": 540}
    refused = client.put(f"{JOB}/job-s2", params=V, json=payload)
    assert refused.status_code == 400
    assert refused.json()["error"]["target"] == "avatarConfig.avatarPosition.x"


def test_the_avatar_list_needs_a_key(client: TestClient) -> None:
    assert TestClient(client.app).get("/avatar/characters").status_code == 401


def test_a_known_gesture_is_accepted(client: TestClient) -> None:
    response = client.put(f"{JOB}/job-g1", params=V, json=_ssml("wave-left-1"))
    assert response.status_code == 201, response.text


def test_an_unknown_gesture_is_a_400_listing_the_valid_ones(client: TestClient) -> None:
    response = client.put(f"{JOB}/job-g2", params=V, json=_ssml("moonwalk"))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "BadArgument"
    assert "moonwalk" in error["message"] and "wave-left-2" in error["message"]
    assert error["message"].startswith("inputs[0].content")


def test_a_background_image_must_be_https_to_a_public_host(client: TestClient) -> None:
    for image in ("http://example.com/a.png", "file:///etc/passwd", "ftp://example.com/a.png"):
        response = client.put(f"{JOB}/job-b1", params=V, json=body(backgroundImage=image))
        assert response.status_code == 400, image
        assert "backgroundImage" in response.json()["error"]["message"]
    ok = client.put(
        f"{JOB}/job-b2", params=V, json=body(backgroundImage="https://example.com/a.png")
    )
    assert ok.status_code == 201
    assert ok.json()["avatarConfig"]["backgroundImage"] == "https://example.com/a.png"


def test_a_background_file_name_needs_the_folder_and_stays_inside_it(
    make_client: Any, tmp_path: Path
) -> None:
    plain = make_client()
    refused = plain.put(f"{JOB}/job-b3", params=V, json=body(backgroundImage="office.png"))
    assert refused.status_code == 400
    assert "AVATARSYNTH_BACKGROUND_DIR" in refused.json()["error"]["message"]
    folder = tmp_path / "backgrounds"
    folder.mkdir()
    client = make_client(background_dir=folder)
    for trick in ("../var/avatarsynth.db", "/etc/passwd", "a/../../x.png", "..\\x.png"):
        response = client.put(f"{JOB}/job-b4", params=V, json=body(backgroundImage=trick))
        assert response.status_code == 400, trick
    accepted = client.put(f"{JOB}/job-b5", params=V, json=body(backgroundImage="office.png"))
    assert accepted.status_code == 201
