import settings


def test_reads_mode():
    assert settings.load()["mode"] == "fast"
