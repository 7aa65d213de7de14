"""The voice list in Azure's shape, with the local engine of each voice."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_every_azure_voice_is_listed_with_its_engine(client: TestClient) -> None:
    voices = client.get("/cognitiveservices/voices/list").json()
    assert len(voices) == 745
    by_name = {v["ShortName"]: v for v in voices}
    jenny = by_name["en-US-JennyNeural"]
    assert jenny["Name"] == "Microsoft Server Speech Text to Speech Voice (en-US, JennyNeural)"
    assert (jenny["DisplayName"], jenny["Gender"], jenny["Locale"]) == ("Jenny", "Female", "en-US")
    assert jenny["LocaleName"] == "English (United States)"
    assert "cheerful" in jenny["StyleList"]
    assert jenny["Engine"] == "kokoro"
    assert jenny["LocalVoice"].startswith("af_")  # an American female voice
    assert jenny["SampleRateHertz"] == "24000"
    katja = by_name["de-DE-KatjaNeural"]
    assert (katja["Engine"], katja["LocalVoice"], katja["SampleRateHertz"]) == (
        "espeak-ng",
        "de",
        "22050",
    )
    assert by_name["en-US-AvaMultilingualNeural"]["DisplayName"] == "Ava Multilingual"


def test_the_voice_list_needs_a_key(client: TestClient) -> None:
    assert TestClient(client.app).get("/cognitiveservices/voices/list").status_code == 401
