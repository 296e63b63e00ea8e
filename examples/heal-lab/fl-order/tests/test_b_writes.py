import settings


def test_writes_mode():
    settings.save({"mode": "fast"})
