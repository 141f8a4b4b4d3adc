"""The Host header is read whole: a served name followed by anything but a port is
another name (issue #28: ``Host: [::1]evil.example`` was cut at ``]`` and served)."""
import pytest

from web.app import _host_name, create_app


@pytest.mark.parametrize("host,name", [
    ("[::1]", "[::1]"), ("[::1]:8000", "[::1]"), ("[::1]:", "[::1]"), ("LOCALHOST:80", "localhost"),
    ("localhost.", "localhost"), ("127.0.0.1:8000", "127.0.0.1"), ("::1", "[::1]"), ("fe80::1", "[fe80::1]"),
])
def test_a_name_with_or_without_its_port_is_read(host, name):
    assert _host_name(host) == name


@pytest.mark.parametrize("host", ["[::1]evil.example", "[::1]:8000evil", "[::1].evil.example:80",
                                  "[::1]@evil.example", "localhost:evil", "127.0.0.1:80x", "localhost:٨٠"])
def test_a_name_followed_by_more_than_a_port_is_no_name(host):
    assert _host_name(host) is None


@pytest.fixture(scope="module")
def client(corpus_index):
    # A malformed --allow-host value must not let every malformed Host in.
    app = create_app(corpus_index, hosts=["news.lan", "bad:name"])
    yield app.test_client()
    app.extensions["akhbar"].close()


@pytest.mark.parametrize("host", ["[::1]evil.example", "[::1]evil.example:8000", "[::1]:8000evil.example",
                                  "localhost:evil.example", "news.lan:x", "bad:name"])
def test_the_page_refuses_a_served_name_with_a_tail(client, host):
    r = client.get("/help", headers={"Host": host})
    assert r.status_code == 400, host
    assert "evil" not in r.get_data(as_text=True)


@pytest.mark.parametrize("host", ["[::1]", "[::1]:8000", "localhost:8000", "news.lan", "NEWS.LAN:80"])
def test_the_page_still_answers_its_names(client, host):
    assert client.get("/help", headers={"Host": host}).status_code == 200, host
