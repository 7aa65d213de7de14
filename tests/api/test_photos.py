"""Photo avatars over HTTP: portraits registered per key, refused photos store nothing, and
``photoAvatarBaseModel``/``scene`` validated, echoed and handed to the renderer as asked."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import httpx2
import numpy as np
import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import OTHER_KEY, V, fake_render, finished
from tests.fixtures import ASTRONAUT

from avatarsynth.pipeline import AnyRequest, AnyResult, RenderRequest

JOB = "/avatar/batchsyntheses"


@pytest.fixture
def mode() -> dict[str, Any]:
    """Embedded only: portraits live in the data directory, the same in both modes."""
    return {}


def photo_body(name: str = "eileen", **avatar: Any) -> dict[str, Any]:
    return {
        "inputKind": "PlainText",
        "synthesisConfig": {"voice": "en-US-AvaMultilingualNeural"},
        "inputs": [{"content": "Hello there."}],
        "avatarConfig": {
            "talkingAvatarCharacter": name,
            "photoAvatarBaseModel": "vasa-1",
            **avatar,
        },
    }


def put_portrait(client: TestClient, name: str, data: bytes, **headers: str) -> httpx2.Response:
    return client.put(f"/avatar/photos/{name}", content=data, headers=headers)


def stored(data_dir: Path) -> list[str]:
    root = data_dir / "portraits"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_portrait_registers_lists_previews_and_deletes(
    client: TestClient, tmp_path: Path
) -> None:
    response = put_portrait(client, "Eileen", ASTRONAUT.read_bytes())
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "eileen"
    photos = client.get("/avatar/photos").json()["photos"]
    assert [p["name"] for p in photos] == ["eileen"]
    preview = client.get(photos[0]["previewUrl"], headers={"Ocp-Apim-Subscription-Key": ""})
    assert preview.status_code == 200 and preview.content.startswith(b"\x89PNG")
    other = {"Ocp-Apim-Subscription-Key": OTHER_KEY}
    assert client.get("/avatar/photos", headers=other).json()["photos"] == []
    assert client.delete("/avatar/photos/eileen").status_code == 204
    assert client.get("/avatar/photos").json()["photos"] == []
    assert client.delete("/avatar/photos/eileen").status_code == 404


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"not an image at all", "not a PNG, JPEG, WebP or GIF"),
        (bytes(cv2.imencode(".png", np.full((300, 300, 3), 90, np.uint8))[1]), "No face"),
    ],
)
def test_a_refused_photo_is_a_400_and_stores_nothing(
    client: TestClient, tmp_path: Path, data: bytes, expected: str
) -> None:
    response = put_portrait(client, "nobody", data)
    assert response.status_code == 400
    assert expected in response.json()["error"]["message"]
    assert stored(tmp_path / "var") == []


def test_the_operator_can_turn_registration_off(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    client = make_client(portrait_registration=False)
    response = put_portrait(client, "eileen", ASTRONAUT.read_bytes())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "Forbidden"
    assert stored(tmp_path / "var") == []


def test_a_photo_job_renders_its_portrait_at_512_with_the_scene(
    make_client: Callable[..., TestClient],
) -> None:
    seen: list[RenderRequest] = []

    def render(request: AnyRequest, out_path: Path, progress: object = None) -> AnyResult:
        assert isinstance(request, RenderRequest)
        seen.append(request)
        return fake_render(request, out_path)

    client = make_client(render=render)
    assert put_portrait(client, "eileen", ASTRONAUT.read_bytes()).status_code == 201
    scene = {"zoom": 1.2, "positionX": -0.1, "amplitude": 0.5}
    created = client.put(f"{JOB}/photo-1", params=V, json=photo_body("EILEEN", scene=scene))
    assert created.status_code == 201, created.text
    echoed = created.json()["avatarConfig"]
    assert echoed["photoAvatarBaseModel"] == "vasa-1" and "talkingAvatarStyle" not in echoed
    assert echoed["scene"] == {
        "zoom": 1.2,
        "positionX": -0.1,
        "positionY": 0.0,
        "rotationX": 0.0,
        "rotationY": 0.0,
        "rotationZ": 0.0,
        "amplitude": 0.5,
    }
    assert finished(client, f"{JOB}/photo-1?api-version=2024-08-01")["status"] == "Succeeded"
    (request,) = seen
    assert (request.video.width, request.video.height) == (512, 512)
    assert request.photo is not None and request.photo.scene.amplitude == 0.5
    assert Path(request.photo.portrait_path).is_file()


@pytest.mark.parametrize(
    ("avatar", "target"),
    [
        ({"talkingAvatarStyle": "casual-sitting"}, "avatarConfig.talkingAvatarStyle"),
        ({"scene": {"zoom": 0}}, "avatarConfig.scene.zoom"),
        ({"scene": {"positionY": 1.5}}, "avatarConfig.scene.positionY"),
        ({"scene": {"rotationZ": 3.2}}, "avatarConfig.scene.rotationZ"),
        ({"scene": {"amplitude": 0}}, "avatarConfig.scene.amplitude"),
        ({"scene": {"amplitude": "high"}}, "avatarConfig.scene.amplitude"),
        ({"photoAvatarBaseModel": "vasa-2"}, "avatarConfig.photoAvatarBaseModel"),
    ],
)
def test_photo_options_out_of_range_are_400s_naming_the_field(
    client: TestClient, avatar: dict[str, Any], target: str
) -> None:
    response = client.put(f"{JOB}/bad", params=V, json=photo_body(**avatar))
    assert response.status_code == 400
    assert response.json()["error"]["target"] == target


def test_a_scene_without_a_photo_avatar_is_a_400(client: TestClient) -> None:
    body = photo_body(talkingAvatarStyle="casual-sitting", scene={"zoom": 2})
    body["avatarConfig"].pop("photoAvatarBaseModel")
    body["avatarConfig"]["talkingAvatarCharacter"] = "lisa"
    response = client.put(f"{JOB}/bad", params=V, json=body)
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "avatarConfig.scene"


def test_standard_and_unknown_portraits_say_how_to_register_one(client: TestClient) -> None:
    standard = client.put(f"{JOB}/photo-std", params=V, json=photo_body("Amara"))
    assert standard.status_code == 400
    message = standard.json()["error"]["message"]
    assert "standard photo avatars" in message and "PUT /avatar/photos/" in message
    unknown = client.put(f"{JOB}/photo-unk", params=V, json=photo_body("nobody"))
    assert unknown.status_code == 400 and "PUT /avatar/photos/" in unknown.text


def test_the_operator_folder_serves_every_key(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    folder = tmp_path / "operator"
    folder.mkdir()
    shutil.copy(ASTRONAUT, folder / "amara.png")  # an operator may use a standard name
    client = make_client(portrait_dir=folder, portrait_registration=False)
    other = {"Ocp-Apim-Subscription-Key": OTHER_KEY}
    listed = client.get("/avatar/photos", headers=other).json()["photos"]
    assert [(p["name"], p["shared"]) for p in listed] == [("amara", True)]
    created = client.put(f"{JOB}/photo-op", params=V, json=photo_body("amara"), headers=other)
    assert created.status_code == 201, created.text
