"""The portal over HTTP without JavaScript: cookie session, CSRF, error summary, headers."""

from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette

from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, SELPA_A, FakeClock, World, app_with
from tests.support.portal import CSRF, PortalClient, error_summary

CYCLE = "2024-25"
LEA_PAGE = f"/lea/{CYCLE}/{LEA_A1}"


async def test_sign_in_sets_a_strict_http_only_cookie_and_lands_on_the_overview(
    app: Starlette, world: World
) -> None:
    # given the logon page
    browser = PortalClient(app)
    # when the LEA signs in with its access code
    response = await browser.sign_in(world.codes["LEA_A1"])
    # then it lands on its overview, with a session cookie JavaScript cannot read
    assert response.status_code == 200
    assert str(response.url).endswith(LEA_PAGE)
    assert "LEA Due Date" in response.text and LEA_A1 in response.text
    cookie = browser.redirects[0].headers["set-cookie"]
    assert "iepimp_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain HTTP here; behind TLS the flag is set


async def test_the_session_cookie_is_the_same_session_as_a_bearer_token(
    app: Starlette, world: World
) -> None:
    # given a signed-in portal session
    browser = PortalClient(app)
    await browser.sign_in(world.codes["SELPA_A"])
    token = browser.cookies["iepimp_session"]
    # when the cookie's value is used as a bearer token
    api = GraphQLClient(app, token=token)
    result = await api.execute("{ viewer { role selpa { code } } }")
    # then it is the SELPA's session
    assert result.data["viewer"] == {"role": "SELPA", "selpa": {"code": SELPA_A}}


async def test_sign_out_ends_the_session_for_the_api_too(app: Starlette, world: World) -> None:
    # given a signed-in LEA
    browser = PortalClient(app)
    await browser.sign_in(world.codes["LEA_A1"])
    token = browser.cookies["iepimp_session"]
    # when it signs out
    response = await browser.post("/signout", {})
    # then the logon page shows again and the token no longer works anywhere
    assert "User Logon" in response.text
    result = await GraphQLClient(app, token=token).execute(
        "query($c: String!, $d: String!) { lea(cycle: $c, cdsCode: $d) { name } }",
        c=CYCLE,
        d=LEA_A1,
    )
    assert result.codes == ["UNAUTHENTICATED"]
    again = await browser.get(LEA_PAGE)
    assert "User Logon" in again.text


async def test_a_form_without_its_csrf_token_changes_nothing(app: Starlette, world: World) -> None:
    # given a signed-in LEA
    browser = PortalClient(app)
    await browser.sign_in(world.codes["LEA_A1"])
    n = world.lea_a1.sample_size or 0
    # when counts are posted without the form's CSRF token, or with a forged one
    missing = await browser.post(
        f"{LEA_PAGE}/save", {"countA": str(n), "countB": "0", "countC": "0"}, csrf=False
    )
    forged = await browser.post(
        f"{LEA_PAGE}/save",
        {"countA": str(n), "countB": "0", "countC": "0", "csrf_token": "0" * 64},
    )
    # then both are refused and nothing was saved
    assert missing.status_code == 403 and forged.status_code == 403
    api = GraphQLClient(app, token=browser.cookies["iepimp_session"])
    result = await api.execute(
        "query($c: String!, $d: String!) { submission(cycle: $c, cdsCode: $d) { status } }",
        c=CYCLE,
        d=LEA_A1,
    )
    assert result.data["submission"]["status"] == "NOT_STARTED"


async def test_errors_are_summarised_at_the_top_with_the_apis_messages(
    app: Starlette, world: World
) -> None:
    # given a signed-in LEA that saved counts matching its sample
    browser = PortalClient(app)
    await browser.sign_in(world.codes["LEA_A1"])
    n = world.lea_a1.sample_size or 0
    await browser.post(f"{LEA_PAGE}/save", {"countA": str(n), "countB": "0", "countC": "0"})
    # when it submits with a malformed e-mail and without certifying
    await browser.get(f"{LEA_PAGE}/submit")
    response = await browser.post(
        f"{LEA_PAGE}/submit",
        {
            "submitter-name": "Dana Everhart",
            "submitter-title": "Director",
            "submitter-email": "not-an-email",
            "submitter-phone": "916-555-0100",
        },
    )
    # then the summary links to each field with the API's own messages
    assert response.status_code == 400
    api = GraphQLClient(app, token=browser.cookies["iepimp_session"])
    direct = await api.execute(
        "mutation($i: SubmitSubmissionInput!) { submitSubmission(input: $i) "
        "{ userErrors { field message } } }",
        i={
            "cycle": CYCLE,
            "cdsCode": LEA_A1,
            "certify": False,
            "submitter": {
                "name": "Dana Everhart",
                "title": "Director",
                "email": "not-an-email",
                "phone": "916-555-0100",
            },
        },
    )
    expected = {
        ("-".join(p for p in e["field"] if p != "input"), e["message"])
        for e in direct.data["submitSubmission"]["userErrors"]
    }
    assert set(error_summary(response.text)) == expected
    ids = {field for field, _ in expected}
    assert {"submitter-email", "certify"} <= ids
    for field in ids:
        assert f'id="{field}"' in response.text


async def test_a_malformed_count_names_its_field(app: Starlette, world: World) -> None:
    # given a signed-in LEA
    browser = PortalClient(app)
    await browser.sign_in(world.codes["LEA_A1"])
    # when a count is not a whole number
    response = await browser.post(
        f"{LEA_PAGE}/save", {"countA": "ten", "countB": "", "countC": "1"}
    )
    # then the summary names both fields and keeps what was typed
    assert response.status_code == 400
    assert [f for f, _ in error_summary(response.text)] == ["countA", "countB"]
    assert 'value="ten"' in response.text


async def test_a_wrong_access_code_shows_the_apis_refusal(app: Starlette, world: World) -> None:
    # given the logon page
    browser = PortalClient(app)
    await browser.get("/")
    # when a code that does not exist is typed
    response = await browser.post("/signin", {"accessCode": "AAAA-BBBB-CCCC-DDDD"})
    # then the summary links to the field with the API's message, and no session is set
    assert response.status_code == 400
    assert error_summary(response.text) == [("accessCode", "This access code is not valid now.")]
    assert "iepimp_session" not in browser.cookies


async def test_the_idle_timeout_of_the_session_applies_to_the_cookie(
    app: Starlette, world: World, clock: FakeClock
) -> None:
    # given a signed-in LEA
    browser = PortalClient(app)
    await browser.sign_in(world.codes["LEA_A1"])
    # when it is idle for longer than the idle timeout (30 minutes)
    clock.advance(minutes=31)
    response = await browser.get(LEA_PAGE)
    # then it is sent back to the logon page and the cookie is dropped
    assert "User Logon" in response.text
    assert "iepimp_session" not in browser.cookies


async def test_the_absolute_lifetime_applies_even_when_in_use(
    app: Starlette, world: World, clock: FakeClock
) -> None:
    # given a signed-in LEA that keeps working every 20 minutes
    browser = PortalClient(app)
    await browser.sign_in(world.codes["LEA_A1"])
    for _ in range(24):
        clock.advance(minutes=20)
        await browser.get(LEA_PAGE)
    # then after 8 hours the session is over
    assert "User Logon" in browser.last_html


async def test_every_page_and_asset_carries_the_strict_csp(app: Starlette, world: World) -> None:
    # given pages of every kind, signed in and not
    browser = PortalClient(app)
    paths = ["/", "/results", f"/results/{CYCLE}", "/static/portal.css", "/graphql"]
    responses = [await browser.get(p) for p in paths]
    await browser.sign_in(world.codes["SELPA_A"])
    for path in (
        f"/selpa/{CYCLE}/{SELPA_A}",
        LEA_PAGE,
        f"{LEA_PAGE}/worksheet",
        f"{LEA_PAGE}/students.csv",
        f"/selpa/{CYCLE}/{SELPA_A}/leas.csv",
        "/lea/2024-25/99999999999999",
    ):
        responses.append(await browser.get(path))
    # then each answer has the CSP, and no page has inline script or style
    for response in responses:
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        if response.headers["content-type"].startswith("text/html"):
            assert "<script>" not in response.text and "<style" not in response.text
            assert " style=" not in response.text and " on" + "click=" not in response.text
            assert "http://" not in response.text.replace("http://testserver", "")
            assert "https://" not in response.text


async def test_student_records_download_carries_the_recorded_minutes(
    app: Starlette, world: World
) -> None:
    # given an LEA that recorded one student's minutes on the worksheet page
    browser = PortalClient(app)
    await browser.sign_in(world.codes["LEA_A1"])
    await browser.get(f"{LEA_PAGE}/worksheet")
    ssid = re.search(r'name="ssid" value="(\d+)"', browser.last_html)
    assert ssid
    await browser.post(
        f"{LEA_PAGE}/worksheet",
        {
            "ssid": ssid.group(1),
            "entries-0-prescribedMinutes": "600",
            "entries-0-providedMinutes": "540",
        },
    )
    # when it downloads the student records
    response = await browser.get(f"{LEA_PAGE}/students.csv")
    # then every sampled student is there once, with the minutes beside that student
    lines = response.text.strip().split("\r\n")
    assert lines[0].endswith("prescribed_minutes,provided_minutes")
    assert len(lines) == 1 + (world.lea_a1.sample_size or 0)
    assert next(line for line in lines if line.startswith(ssid.group(1))).endswith(",600,540")


async def test_an_analyst_may_not_download_student_records(app: Starlette, world: World) -> None:
    # given a CDE analyst signed in on the portal
    browser = PortalClient(app)
    await browser.sign_in(world.codes["CDE_ANALYST"])
    # when it asks for an LEA's student records
    response = await browser.get(f"{LEA_PAGE}/students.csv")
    # then it is refused as the API refuses it
    assert response.status_code == 403
    assert "ssid" not in response.text


async def test_behind_tls_the_session_cookie_is_secure(app: Starlette, world: World) -> None:
    # given the portal reached over HTTPS
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50002))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        page = await client.get("/")
        token = CSRF.search(page.text)
        assert token
        # when the LEA signs in
        response = await client.post(
            "/signin", data={"csrf_token": token.group(1), "accessCode": world.codes["LEA_A1"]}
        )
    # then both cookies carry the Secure flag
    cookies = response.headers.get_list("set-cookie") + page.headers.get_list("set-cookie")
    assert cookies and all("Secure" in c for c in cookies)


async def test_graphiql_is_served_only_when_the_settings_say_so(
    world: World, clock: FakeClock
) -> None:
    # given an application with GraphiQL switched off
    app = app_with(clock, IEPIMP_GRAPHIQL="false")
    browser = PortalClient(app)
    # when a browser asks for the IDE and its schema answer
    ide = await browser.get("/graphql")
    schema = await browser.get("/graphiql/introspection.json")
    # then neither is there, and the portal's footer does not point to it
    assert ide.status_code == 404 and schema.status_code == 404
    assert 'href="/graphql"' not in (await browser.get("/")).text
    # while with it on, the IDE page loads only vendored files
    on = PortalClient(app_with(clock))
    page = await on.get("/graphql")
    assert page.status_code == 200
    assert re.findall(r'src="([^"]+)"', page.text) == [
        "/static/graphiql/react.production.min.js",
        "/static/graphiql/react-dom.production.min.js",
        "/static/graphiql/graphiql.min.js",
        "/static/graphiql-start.js",
    ]
    assert (await on.get("/graphiql/introspection.json")).json()["data"]["__schema"]


async def test_a_minutes_file_uploaded_on_the_worksheet_page_is_recorded_or_refused_by_line(
    app: Starlette, world: World
) -> None:
    # given an LEA on its worksheet page
    browser = PortalClient(app)
    await browser.sign_in(world.codes["LEA_A1"])
    await browser.get(f"{LEA_PAGE}/worksheet")
    ssids = re.findall(r'name="ssid" value="(\d+)"', browser.last_html)
    header = "ssid,prescribed_minutes,provided_minutes\r\n"
    # when it uploads a file whose third line has a provided count over the window
    bad = f"{header}{ssids[0]},600,540\r\n{ssids[1]},600,99999999\r\n".encode()
    refused = await browser.upload(f"{LEA_PAGE}/worksheet/upload", "minutes.csv", bad)
    # then the page names the line, and nothing was recorded
    assert refused.status_code == 400
    assert [f for f, m in error_summary(browser.last_html) if m.startswith("Line 3")] == [
        "minutes-file"
    ]
    records = await browser.get(f"{LEA_PAGE}/students.csv")
    assert next(x for x in records.text.split("\r\n") if x.startswith(ssids[0])).endswith(",,")
    # when it uploads a good file, the minutes are recorded through the same operation
    await browser.get(f"{LEA_PAGE}/worksheet")
    good = f"{header}{ssids[0]},600,540\r\n{ssids[1]},600,570\r\n".encode()
    done = await browser.upload(f"{LEA_PAGE}/worksheet/upload", "minutes.csv", good)
    assert done.status_code == 200 and "recorded from the file" in done.text
    records = await browser.get(f"{LEA_PAGE}/students.csv")
    lines = records.text.split("\r\n")
    assert next(x for x in lines if x.startswith(ssids[1])).endswith(",600,570")
    # and a form without its CSRF token records nothing
    await browser.get(f"{LEA_PAGE}/worksheet")
    async with browser.http() as client:
        forged = await client.post(
            f"{LEA_PAGE}/worksheet/upload", files={"file": ("m.csv", good, "text/csv")}
        )
    assert forged.status_code == 403
