"""ui.deep_links.NestedPathRedirect: which requests it redirects, and where (no server needed)."""


import pytest

from ui.deep_links import NestedPathRedirect

from own_loop import run_in_own_loop

PAGE = [(b"sec-fetch-dest", b"document"), (b"accept", b"text/html")]
SCRIPT = [(b"sec-fetch-dest", b"script"), (b"accept", b"*/*")]


def scope(path: str, headers=PAGE, method: str = "GET", query: bytes = b"") -> dict:
    return {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": query,
            "headers": headers}


@pytest.mark.parametrize("path, query, target", [
    ("/choose_k/extra", b"", "/choose_k%2Fextra"),
    ("/pages/explore.py", b"k=3&cov=diag", "/pages%2Fexplore.py?k=3&cov=diag"),
    ("/a/b/c/", b"", "/a%2Fb%2Fc"),
])
def test_a_page_request_with_nested_paths_goes_to_one_segment(path, query, target):
    assert NestedPathRedirect(None).redirect_target(scope(path, query=query)) == target


@pytest.mark.parametrize("request_scope", [
    scope("/"), scope("/choose_k"), scope("/how_em_works", query=b"k=3"),
    scope("/choose_k%2Fextra"),  # where the redirect lands: served, never redirected again
    scope("/choose_k/static/js/index.js", headers=SCRIPT),  # a page's script, not a page
    scope("/_stcore/health"), scope("/static/js/index.js"), scope("/media/abc.json"), scope("/component/x/y"),
    scope("/app/static/a.png"), scope("/choose_k/extra", method="POST"),
    {"type": "websocket", "path": "/_stcore/stream", "headers": []},
])
def test_everything_else_is_served_as_it_is(request_scope):
    assert NestedPathRedirect(None).redirect_target(request_scope) is None


def test_under_a_base_url_path_the_redirect_stays_under_it():
    middleware = NestedPathRedirect(None, base_url_path="/em/")
    assert middleware.redirect_target(scope("/em/choose_k/extra")) == "/em/choose_k%2Fextra"
    assert middleware.redirect_target(scope("/em/choose_k")) is None
    assert middleware.redirect_target(scope("/other/a/b")) is None


def test_a_browser_without_fetch_metadata_is_recognised_by_its_accept_header():
    assert NestedPathRedirect(None).redirect_target(scope("/a/b", headers=[(b"accept", b"text/html,*/*")])) == "/a%2Fb"
    assert NestedPathRedirect(None).redirect_target(scope("/a/b", headers=[(b"accept", b"*/*")])) is None


def test_the_redirect_is_a_307_with_no_body_and_other_requests_reach_the_app():
    sent, reached = [], []

    async def app(scope, receive, send):
        reached.append(scope["path"])

    async def send(message):
        sent.append(message)

    middleware = NestedPathRedirect(app)
    run_in_own_loop(middleware(scope("/choose_k/extra", query=b"k=3"), None, send))
    run_in_own_loop(middleware(scope("/choose_k"), None, send))
    assert sent[0]["status"] == 307 and (b"location", b"/choose_k%2Fextra?k=3") in sent[0]["headers"]
    assert sent[1] == {"type": "http.response.body", "body": b""}
    assert reached == ["/choose_k"]
