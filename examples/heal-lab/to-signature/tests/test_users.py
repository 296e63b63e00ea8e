from users import make_user


def test_make_user():
    assert make_user("ada", "ada@example.org")["email"] == "ada@example.org"
