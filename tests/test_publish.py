"""`altaudit publish` against the real PDS on loopback (tests/pds_fixture.py).

Every run is a real `altaudit` process. The kill tests put a forwarding proxy
between altaudit and the PDS that SIGKILLs the altaudit process at the moment
the post is being created: before the PDS sees createRecord (the images are
uploaded, the post is not made), or after the PDS made it but before altaudit
hears back (the post exists, the ledger still says pending).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from PIL import Image

from auditor.publish import make_tid, new_rkey

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = Path(__file__).parent / "fixtures" / "drafts"
# -P: the checkout beside the tests must not shadow the installed package (CI installs it plainly).
ALTAUDIT = [sys.executable, "-P", "-c", "from auditor.cli import main; main()"]
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")

GOOD_ALT_1 = "A green banner for the Community Day, with the Local Trust logo at the top left."
GOOD_ALT_2 = "Bar chart of visitors to the hall each year: 1,200 in 2023,\n2,300 in 2024 and 3,100 in 2025."


# --- helpers -----------------------------------------------------------------------


def good_draft(folder: Path, text: str = "Our Community Day is back!\nSee you there.") -> Path:
    """A copy of the good draft fixture with its two real PNG images."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(DRAFTS / "images", folder / "images", dirs_exist_ok=True)
    draft = folder / "launch.md"
    source = (DRAFTS / "good.md").read_text(encoding="utf-8")
    draft.write_text(source.replace("Our Community Day is back!\nSee you there.", text), encoding="utf-8")
    return draft


def bad_draft(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(DRAFTS / "images", folder / "images", dirs_exist_ok=True)
    draft = folder / "bad.md"
    draft.write_text(
        '+++\nlangs = ["en-GB"]\n\n[[images]]\nfile = "images/event-banner.png"\nalt = ""\n+++\nNo description yet.\n',
        encoding="utf-8",
    )
    return draft


class Env:
    """The environment of one test's altaudit runs: the PDS, an account, private folders."""

    def __init__(self, pds, tmp_path: Path, account=None, cache: Path | None = None):
        self.pds = pds
        self.account = account or pds.create_account()
        self.home = tmp_path / "home"
        self.vars = {
            **{k: v for k, v in os.environ.items() if not k.startswith("ALTAUDIT_")},
            **pds.env(),
            "HOME": str(self.home),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            # One image cache for the module: each drawn image is read once, not once a test.
            "XDG_CACHE_HOME": str(cache or tmp_path / "cache"),
            "ALTAUDIT_HANDLE": self.account.handle,
            "ALTAUDIT_APP_PASSWORD": self.account.password,
        }
        self.ledger = tmp_path / "data" / "altaudit" / "published.json"

    def run(self, *args: str, **changes) -> subprocess.CompletedProcess:
        env = {**self.vars, **{k: v for k, v in changes.items() if v is not None}}
        for key, value in changes.items():
            if value is None:
                env.pop(key, None)
        return subprocess.run(
            [*ALTAUDIT, *args], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60, cwd=ROOT
        )

    def start(self, *args: str, **changes) -> subprocess.Popen:
        env = {**self.vars, **changes}
        return subprocess.Popen(
            [*ALTAUDIT, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, cwd=ROOT
        )

    def posts(self) -> list[dict]:
        answer = httpx.get(
            f"{self.pds.url}/xrpc/com.atproto.repo.listRecords",
            params={"repo": self.account.did, "collection": "app.bsky.feed.post", "limit": 100},
            timeout=10,
        ).json()
        return answer["records"]

    def get_record(self, rkey: str) -> dict:
        return httpx.get(
            f"{self.pds.url}/xrpc/com.atproto.repo.getRecord",
            params={"repo": self.account.did, "collection": "app.bsky.feed.post", "rkey": rkey},
            timeout=10,
        ).json()


class Proxy:
    """Forwards every request to the PDS and remembers its path; can SIGKILL the
    altaudit process when createRecord comes, before or after forwarding it."""

    def __init__(self, target: str):
        self.target = target.rstrip("/")
        self.paths: list[str] = []
        self.kill: str | None = None  # "before" or "after" createRecord
        self.victim: subprocess.Popen | None = None
        self.fail_after_create = 0  # how many createRecord answers to replace with a 502
        self.fail_before_create = 0  # how many createRecord calls to answer 503 without forwarding
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                self._forward()

            def do_POST(self):
                self._forward()

            def _forward(self):
                proxy.paths.append(self.path.split("?")[0])
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                creating = self.path.startswith("/xrpc/com.atproto.repo.createRecord")
                if creating and proxy.kill == "before":
                    proxy.victim.send_signal(signal.SIGKILL)
                    proxy.victim.wait()
                    self.close_connection = True
                    return
                if creating and proxy.fail_before_create:
                    proxy.fail_before_create -= 1  # the PDS never sees this one
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
                answer = httpx.request(self.command, proxy.target + self.path, headers=headers, content=body, timeout=30)
                if creating and proxy.kill == "after":
                    proxy.victim.send_signal(signal.SIGKILL)
                    proxy.victim.wait()
                    self.close_connection = True
                    return
                if creating and proxy.fail_after_create:
                    proxy.fail_after_create -= 1  # the post is made; its answer is lost in a 502
                    self.send_response(502)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("publish-cache")


@pytest.fixture
def env(local_pds, tmp_path, shared_cache):
    return Env(local_pds, tmp_path, cache=shared_cache)


@pytest.fixture
def proxy(local_pds):
    server = Proxy(local_pds.url)
    yield server
    server.close()


def link_rkey(stdout: str, handle: str) -> str:
    found = re.search(rf"https://bsky\.app/profile/{re.escape(handle)}/post/([a-z2-7]{{13}})", stdout)
    assert found, stdout
    return found.group(1)


# --- refusing ----------------------------------------------------------------------


def test_bad_draft_is_refused_and_nothing_is_posted(env, tmp_path):
    result = env.run("publish", str(bad_draft(tmp_path / "drafts")))
    assert result.returncode == 1, result.stderr
    assert "A101" in result.stdout  # the audit is shown
    assert "not published" in result.stderr
    assert env.posts() == []
    assert not env.ledger.exists()


def test_force_publishes_a_bad_draft_and_says_so(env, tmp_path):
    result = env.run("publish", str(bad_draft(tmp_path / "drafts")), "--force")
    assert result.returncode == 0, result.stderr
    assert "--force: publishing although the audit found problems at or above 'error'" in result.stderr
    (post,) = env.posts()
    assert post["value"]["embed"]["images"][0]["alt"] == ""


def test_fail_on_warning_refuses_what_error_lets_through(env, tmp_path):
    draft = tmp_path / "drafts" / "short.md"
    good_draft(tmp_path / "drafts")
    draft.write_text('+++\n[[images]]\nfile = "images/event-banner.png"\nalt = "Banner"\n+++\nHello\n', encoding="utf-8")
    result = env.run("publish", str(draft), "--fail-on", "warning", "--dry-run")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "not published" in result.stderr


MISSPELT_BANNER = """+++
langs = ["en-GB"]

[[images]]
file = "images/banner.png"
alt = "Green banner for the Communty Day at Brereton Village Hall on Saturday 14 March, 10am to 4pm: free entry, food stalls and a plant swap. Logos of Brereton Big Local and Local Trust."
+++
Our Community Day is back!
"""


def test_the_drafts_images_are_read_and_an_image_rules_error_refuses(env, tmp_path):
    from image_drawings import community_day_banner

    folder = tmp_path / "drafts"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "banner.png").write_bytes(community_day_banner())
    draft = folder / "day.md"
    draft.write_text(MISSPELT_BANNER, encoding="utf-8")
    # By its words alone the description passes: only the image says "Community".
    unread = env.run("publish", str(draft), "--no-images", "--dry-run")
    assert unread.returncode == 0, unread.stdout + unread.stderr
    assert "I905" not in unread.stdout
    result = env.run("publish", str(draft))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "I905" in result.stdout and "‘Communty’ is spelt ‘Community’ in the image" in result.stdout
    assert "not published" in result.stderr
    assert env.posts() == []
    fixed = MISSPELT_BANNER.replace("Communty", "Community")
    draft.write_text(fixed, encoding="utf-8")
    assert env.run("publish", str(draft), "--dry-run").returncode == 0


# --- publishing --------------------------------------------------------------------


def test_good_draft_lands_with_descriptions_aspect_ratios_and_langs(env, tmp_path):
    draft = good_draft(tmp_path / "drafts")
    before = draft.read_bytes()
    result = env.run("publish", str(draft))
    assert result.returncode == 0, result.stderr
    rkey = link_rkey(result.stdout, env.account.handle)
    assert TID.match(rkey)
    record = env.get_record(rkey)
    value = record["value"]
    assert value["text"] == "Our Community Day is back!\nSee you there."
    assert value["langs"] == ["en-GB", "cy"]
    images = value["embed"]["images"]
    assert [image["alt"] for image in images] == [GOOD_ALT_1, GOOD_ALT_2]
    # the fixture images are 400×225 and 300×200 PNGs (read here with Pillow)
    for image, name in zip(images, ["event-banner.png", "visitors-chart.png"]):
        with Image.open(DRAFTS / "images" / name) as picture:
            assert image["aspectRatio"] == {"width": picture.width, "height": picture.height}
        assert image["image"]["mimeType"] == "image/png"
        blob = httpx.get(
            f"{env.pds.url}/xrpc/com.atproto.sync.getBlob",
            params={"did": env.account.did, "cid": image["image"]["ref"]["$link"]},
            timeout=10,
        )
        assert blob.content == (DRAFTS / "images" / name).read_bytes()
    assert record["uri"] in result.stderr and record["cid"] in result.stderr
    ledger = json.loads(env.ledger.read_text(encoding="utf-8"))
    (entry,) = ledger.values()
    assert (entry["state"], entry["uri"], entry["cid"]) == ("published", record["uri"], record["cid"])
    assert draft.read_bytes() == before  # the draft is only read


def test_second_run_says_already_published_and_posts_nothing(env, tmp_path):
    draft = good_draft(tmp_path / "drafts")
    first = env.run("publish", str(draft))
    assert first.returncode == 0, first.stderr
    second = env.run("publish", str(draft), ALTAUDIT_APP_PASSWORD=None)  # not even a login is needed
    assert second.returncode == 0, second.stderr
    assert "already published" in second.stderr
    assert link_rkey(second.stdout, env.account.handle) == link_rkey(first.stdout, env.account.handle)
    assert second.stdout.strip() == f"https://bsky.app/profile/{env.account.handle}/post/{link_rkey(first.stdout, env.account.handle)}"
    assert len(env.posts()) == 1


def test_changed_draft_at_the_same_path_needs_again(env, tmp_path):
    draft = good_draft(tmp_path / "drafts")
    assert env.run("publish", str(draft)).returncode == 0
    draft.write_text(draft.read_text(encoding="utf-8").replace("See you there.", "See you there!"), encoding="utf-8")
    refused = env.run("publish", str(draft))
    assert refused.returncode == 2
    assert "an earlier version" in refused.stderr and "--again" in refused.stderr
    assert len(env.posts()) == 1
    again = env.run("publish", str(draft), "--again")
    assert again.returncode == 0, again.stderr
    assert sorted(p["value"]["text"] for p in env.posts()) == [
        "Our Community Day is back!\nSee you there!",
        "Our Community Day is back!\nSee you there.",
    ]


def test_killed_after_the_uploads_does_not_post_twice(env, proxy, tmp_path):
    draft = good_draft(tmp_path / "drafts")
    proxy.kill = "before"
    process = env.start("publish", str(draft), ALTAUDIT_PDS_URL=proxy.url)
    proxy.victim = process
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert proxy.paths.count("/xrpc/com.atproto.repo.uploadBlob") == 2  # both images went up
    assert env.posts() == []  # the post was never created
    assert json.loads(env.ledger.read_text(encoding="utf-8")).popitem()[1]["state"] == "pending"

    proxy.kill = None
    rerun = env.run("publish", str(draft), ALTAUDIT_PDS_URL=proxy.url)
    assert rerun.returncode == 0, rerun.stderr
    (post,) = env.posts()
    assert [image["alt"] for image in post["value"]["embed"]["images"]] == [GOOD_ALT_1, GOOD_ALT_2]
    third = env.run("publish", str(draft))
    assert "already published" in third.stderr
    assert len(env.posts()) == 1


def test_killed_after_the_post_was_created_does_not_post_twice(env, proxy, tmp_path):
    draft = good_draft(tmp_path / "drafts")
    proxy.kill = "after"
    process = env.start("publish", str(draft), ALTAUDIT_PDS_URL=proxy.url)
    proxy.victim = process
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    (made,) = env.posts()  # the PDS made the post; altaudit never heard
    entry = json.loads(env.ledger.read_text(encoding="utf-8")).popitem()[1]
    assert entry["state"] == "pending" and made["uri"].endswith("/" + entry["rkey"])

    proxy.kill = None
    proxy.paths.clear()
    rerun = env.run("publish", str(draft), ALTAUDIT_PDS_URL=proxy.url)
    assert rerun.returncode == 0, rerun.stderr
    assert "already published" in rerun.stderr
    assert "/xrpc/com.atproto.repo.createRecord" not in proxy.paths
    assert "/xrpc/com.atproto.repo.uploadBlob" not in proxy.paths
    assert [p["uri"] for p in env.posts()] == [made["uri"]]
    assert link_rkey(rerun.stdout, env.account.handle) == entry["rkey"]


def test_dry_run_sends_nothing_and_shows_the_record(env, proxy, tmp_path):
    draft = good_draft(tmp_path / "drafts")
    result = env.run("publish", str(draft), "--dry-run", ALTAUDIT_PDS_URL=proxy.url)
    assert result.returncode == 0, result.stderr
    assert proxy.paths == []
    assert env.posts() == []
    assert not env.ledger.parent.exists()  # nothing written either
    assert "nothing was sent" in result.stdout
    shown = json.loads(result.stdout[result.stdout.index("\n{") + 1 :])
    assert [image["alt"] for image in shown["embed"]["images"]] == [GOOD_ALT_1, GOOD_ALT_2]
    assert shown["embed"]["images"][0]["aspectRatio"] == {"width": 400, "height": 225}
    assert shown["langs"] == ["en-GB", "cy"]


# --- credentials -------------------------------------------------------------------


def test_no_terminal_and_no_password_is_one_line_and_exit_2(env, tmp_path):
    result = env.run("publish", str(good_draft(tmp_path / "drafts")), ALTAUDIT_APP_PASSWORD=None)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("altaudit: error: no credentials to publish with: set ALTAUDIT_APP_PASSWORD")
    assert "Traceback" not in result.stderr
    assert env.posts() == []


def test_wrong_password_is_one_line_exit_2_and_not_echoed(env, tmp_path):
    secret = "wrong-pass-4f9a-q7xk"
    result = env.run("publish", str(good_draft(tmp_path / "drafts")), ALTAUDIT_APP_PASSWORD=secret)
    assert result.returncode == 2
    assert "refused the handle" in result.stderr
    assert secret not in result.stdout + result.stderr
    assert env.posts() == []


def test_credentials_never_appear_in_output_ledger_or_cache(env, tmp_path):
    secret = "s3cret-app-pass-xq81-zz"
    # an account whose password is the secret
    name = "cred" + os.urandom(3).hex()
    made = httpx.post(
        f"{env.pds.url}/xrpc/com.atproto.server.createAccount",
        json={"handle": f"{name}.test", "email": f"{name}@example.test", "password": secret},
        timeout=10,
    ).json()
    draft = good_draft(tmp_path / "drafts")
    result = env.run(
        "publish", str(draft), ALTAUDIT_HANDLE=made["handle"], ALTAUDIT_APP_PASSWORD=secret, XDG_CACHE_HOME=str(tmp_path / "cache")
    )
    assert result.returncode == 0, result.stderr
    assert secret not in result.stdout + result.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "drafts" not in p.parts]
    assert env.ledger in written
    for path in written:
        data = path.read_bytes()
        assert secret.encode() not in data, path
        assert b"eyJ" not in data, path  # no JWT (access or refresh token) either


# --- the draft's images ---------------------------------------------------------------


def test_jpeg_turned_by_exif_gets_the_aspect_ratio_it_shows(tmp_path):
    from auditor.publish import prepare

    folder = tmp_path / "drafts"
    folder.mkdir()
    picture = Image.new("RGB", (640, 480), (40, 120, 60))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    picture.save(folder / "turned.jpg", "JPEG", exif=exif)
    picture.save(folder / "plain.webp", "WEBP")
    (folder / "d.md").write_text(
        '+++\n[[images]]\nfile = "turned.jpg"\nalt = "A green field."\n\n[[images]]\nfile = "plain.webp"\nalt = "A green field again."\n+++\nFields\n',
        encoding="utf-8",
    )
    prepared = prepare(str(folder / "d.md"))
    assert [(m.mime_type, m.width, m.height) for m in prepared.media] == [("image/jpeg", 480, 640), ("image/webp", 640, 480)]


def test_oversized_image_and_video_are_refused_before_anything_is_sent(env, proxy, tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    noise.save(folder / "noise.png", "PNG")  # random pixels do not compress: about 3 MB
    assert (folder / "noise.png").stat().st_size > 2_000_000
    (folder / "big.md").write_text('+++\n[[images]]\nfile = "noise.png"\nalt = "Coloured static."\n+++\nStatic\n', encoding="utf-8")
    result = env.run("publish", str(folder / "big.md"), ALTAUDIT_PDS_URL=proxy.url)
    assert result.returncode == 2
    assert "at most 2,000,000 bytes" in result.stderr
    video = folder / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64))
    (folder / "video.md").write_text('+++\n[[images]]\nfile = "clip.mp4"\nalt = "A short clip."\n+++\nClip\n', encoding="utf-8")
    result = env.run("publish", str(folder / "video.md"), ALTAUDIT_PDS_URL=proxy.url)
    assert result.returncode == 2
    assert "publish PNG, JPEG, GIF or WebP" in result.stderr or "not an image" in result.stderr
    assert proxy.paths == []


def test_record_keys_are_tids():
    assert make_tid(0, 0) == "2222222222222"
    # 2024-01-01T00:00:00Z in microseconds, clock id 31 (the spec's layout: 53 bits of time, 10 of clock)
    tid = make_tid(1_704_067_200_000_000, 31)
    assert TID.match(tid)
    assert int("".join(f"{'234567abcdefghijklmnopqrstuvwxyz'.index(c):05b}" for c in tid), 2) == (1_704_067_200_000_000 << 10) | 31
    assert new_rkey("fff0", now=lambda: 1.0) == make_tid(1_000_000, 0xFFF & 0x3FF)
    assert make_tid(2_000_000, 5) > make_tid(1_000_000, 5)  # sorts by time


# --- links, mentions, hashtags -------------------------------------------------------


def _spans(text: str, found: list[dict]) -> list[tuple[str, str, str]]:
    data = text.encode("utf-8")
    out = []
    for facet in found:
        (feature,) = facet["features"]
        kind = feature["$type"].rsplit("#", 1)[1]
        value = feature.get("uri") or feature.get("did") or feature.get("tag")
        out.append((data[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode("utf-8"), kind, value))
    return out


def test_facets_of_real_post_texts():
    from auditor.richtext import facets

    # from the Local Trust profile (shared/seed)
    text = (
        "Our head of policy & comms @maddiejennings.bsky.social will be speaking at the launch of "
        "@thetcpa.bsky.social's new suite of Community Planning Guides.\n🔗Register: https://bit.ly/4h6WBeR"
    )
    dids = {"maddiejennings.bsky.social": "did:plc:maddie"}
    assert _spans(text, facets(text, dids.get)) == [
        ("@maddiejennings.bsky.social", "mention", "did:plc:maddie"),  # the other handle does not resolve
        ("https://bit.ly/4h6WBeR", "link", "https://bit.ly/4h6WBeR"),
    ]
    text = "We’re happy to be on Bluesky! Find out what makes the #BigLocal funding programme so unique – at localtrust.org.uk/big-local/about."
    assert _spans(text, facets(text)) == [
        ("#BigLocal", "tag", "BigLocal"),
        ("localtrust.org.uk/big-local/about", "link", "https://localtrust.org.uk/big-local/about"),
    ]
    # not links: a file name, an abbreviation; not tags: a number, a lone #
    text = "See figure.png, e.g. the chart (#2024 #) and (https://example.org/a_(b))"
    assert _spans(text, facets(text)) == [("https://example.org/a_(b))", "link", "https://example.org/a_(b))")]


def test_mentions_resolve_to_dids_on_the_pds(env, tmp_path):
    friend = env.pds.create_account()
    draft = good_draft(tmp_path / "drafts", text=f"Thanks @{friend.handle} and @nobody.test! café.example.org #CommunityDay")
    result = env.run("publish", str(draft))
    assert result.returncode == 0, result.stderr
    (post,) = env.posts()
    assert _spans(post["value"]["text"], post["value"]["facets"]) == [
        (f"@{friend.handle}", "mention", friend.did),
        ("#CommunityDay", "tag", "CommunityDay"),
    ]


def test_prompts_on_a_terminal_without_echoing_the_password(env, tmp_path):
    import pty
    import select
    import time

    draft = good_draft(tmp_path / "drafts")
    variables = {k: v for k, v in env.vars.items() if k not in ("ALTAUDIT_HANDLE", "ALTAUDIT_APP_PASSWORD")}
    pid, terminal = pty.fork()
    if pid == 0:  # the child, on the pseudo-terminal
        try:
            os.chdir(ROOT)
            os.execve(sys.executable, [*ALTAUDIT, "publish", str(draft)], variables)
        finally:
            os._exit(127)
    seen = b""
    answers = [(b"Bluesky handle: ", env.account.handle), (b"App password for", env.account.password)]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([terminal], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if answers and answers[0][0] in seen:
            os.write(terminal, answers.pop(0)[1].encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    output = seen.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert not answers, output
    assert env.account.password not in output  # typed, never echoed
    assert env.account.handle in output  # the handle is echoed as typed
    (post,) = env.posts()
    assert f"https://bsky.app/profile/{env.account.handle}/post/{post['uri'].rsplit('/', 1)[1]}" in output


def test_a_lost_create_answer_is_retried_without_a_second_post(env, proxy, tmp_path):
    draft = good_draft(tmp_path / "drafts")
    proxy.fail_after_create = 1
    result = env.run("publish", str(draft), ALTAUDIT_PDS_URL=proxy.url)
    assert result.returncode == 0, result.stderr
    # the lost answer sent altaudit to look for the post, found at its record key: no second create
    created = proxy.paths.index("/xrpc/com.atproto.repo.createRecord")
    assert "/xrpc/com.atproto.repo.getRecord" in proxy.paths[created + 1 :]
    assert proxy.paths.count("/xrpc/com.atproto.repo.createRecord") == 1
    (post,) = env.posts()
    assert post["uri"].rsplit("/", 1)[1] == link_rkey(result.stdout, env.account.handle)
    entry = json.loads(env.ledger.read_text(encoding="utf-8")).popitem()[1]
    assert (entry["state"], entry["uri"], entry["cid"]) == ("published", post["uri"], post["cid"])


def test_two_runs_at_once_post_once(env, tmp_path):
    draft = good_draft(tmp_path / "drafts")
    runs = [env.start("publish", str(draft)) for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert len(env.posts()) == 1
    assert sum("already published" in err for _, err in outputs) == 1


def test_a_damaged_ledger_stops_publishing(env, tmp_path):
    env.ledger.parent.mkdir(parents=True)
    env.ledger.write_text('{"abc": {"state": "pub', encoding="utf-8")
    result = env.run("publish", str(good_draft(tmp_path / "drafts")))
    assert result.returncode == 2
    assert "ledger" in result.stderr and "damaged" in result.stderr
    assert env.posts() == []
    assert env.ledger.read_text(encoding="utf-8") == '{"abc": {"state": "pub'  # left for the user to look at


def test_a_failed_create_is_tried_again_at_the_same_key(env, proxy, tmp_path):
    draft = good_draft(tmp_path / "drafts")
    proxy.fail_before_create = 1
    result = env.run("publish", str(draft), ALTAUDIT_PDS_URL=proxy.url)
    assert result.returncode == 0, result.stderr
    assert proxy.paths.count("/xrpc/com.atproto.repo.createRecord") == 2
    (post,) = env.posts()
    assert post["uri"].rsplit("/", 1)[1] == link_rkey(result.stdout, env.account.handle)


# --- metadata stays home ---------------------------------------------------------------

GPS_IFD = 0x8825


def _photo_exif(orientation: int | None = None) -> "Image.Exif":
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0132] = "2025:10:02 09:40:51"
    if orientation:
        exif[0x0112] = orientation
    exif[GPS_IFD] = {1: "N", 2: (52.0, 29.0, 1.5), 3: "W", 4: (1.0, 53.0, 24.0)}  # Birmingham
    return exif


def _pixels(data: bytes) -> bytes:
    import io

    with Image.open(io.BytesIO(data)) as picture:
        return picture.convert("RGBA").tobytes()


def test_jpeg_loses_gps_camera_and_comments_but_keeps_pixels_profile_and_orientation(tmp_path):
    import io

    from auditor.strip_metadata import strip

    buffer = io.BytesIO()
    picture = Image.linear_gradient("L").convert("RGB").resize((320, 200))
    icc = b"\x00" * 128  # kept byte for byte: a colour profile is not private
    picture.save(buffer, "JPEG", exif=_photo_exif(orientation=6), icc_profile=icc, comment=b"taken at 12 Elm Road")
    original = buffer.getvalue()
    cleaned = strip(original, "image/jpeg", orientation=6)
    assert b"12 Elm Road" in original and b"12 Elm Road" not in cleaned
    assert b"PhoneMaker" in original and b"PhoneMaker" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as result:
        exif = result.getexif()
        assert dict(exif) == {0x0112: 6}  # the orientation alone
        assert exif.get_ifd(GPS_IFD) == {}
        assert result.info.get("icc_profile") == icc
        assert "jfif" in result.info  # JFIF's APP0 still first
    assert _pixels(cleaned) == _pixels(original)
    # a photo that is not turned keeps no Exif at all
    assert Image.open(io.BytesIO(strip(original, "image/jpeg", orientation=None))).getexif().get(0x0112) is None


def test_png_and_webp_lose_their_text_and_exif(tmp_path):
    import io

    from PIL.PngImagePlugin import PngInfo

    from auditor.strip_metadata import strip

    picture = Image.new("RGB", (64, 48), (200, 30, 90))
    info = PngInfo()
    info.add_text("Location", "12 Elm Road")
    info.add_itxt("Author", "Jo Bloggs")
    png = io.BytesIO()
    picture.save(png, "PNG", pnginfo=info, exif=_photo_exif())
    webp = io.BytesIO()
    picture.save(webp, "WEBP", lossless=True, exif=_photo_exif(), xmp=b"<x:xmpmeta>12 Elm Road</x:xmpmeta>")
    for original, mime in ((png.getvalue(), "image/png"), (webp.getvalue(), "image/webp")):
        assert b"12 Elm Road" in original and b"PhoneMaker" in original
        cleaned = strip(original, mime)
        assert b"12 Elm Road" not in cleaned and b"PhoneMaker" not in cleaned and b"Jo Bloggs" not in cleaned
        with Image.open(io.BytesIO(cleaned)) as result:
            result.load()
            assert "exif" not in result.info and "Location" not in result.info
        assert _pixels(cleaned) == _pixels(original)


def test_broken_files_are_left_as_they_are():
    from auditor.strip_metadata import strip

    for data, mime in ((b"\xff\xd8\xff\xe1\xff\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"), (b"GIF89a", "image/gif")):
        assert strip(data, mime) == data


def test_a_published_photo_carries_no_position(env, tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    Image.linear_gradient("L").convert("RGB").resize((400, 300)).save(folder / "hall.jpg", "JPEG", exif=_photo_exif(orientation=8))
    (folder / "hall.md").write_text(
        '+++\n[[images]]\nfile = "hall.jpg"\nalt = "Volunteers set out chairs in rows in the village hall before the meeting."\n+++\nSet up for tonight\n',
        encoding="utf-8",
    )
    result = env.run("publish", str(folder / "hall.md"), "--ignore", "L,R,T,M,B")
    assert result.returncode == 0, result.stdout + result.stderr
    (post,) = env.posts()
    (image,) = post["value"]["embed"]["images"]
    assert image["aspectRatio"] == {"width": 300, "height": 400}  # turned a quarter to show
    blob = httpx.get(
        f"{env.pds.url}/xrpc/com.atproto.sync.getBlob",
        params={"did": env.account.did, "cid": image["image"]["ref"]["$link"]},
        timeout=10,
    ).content
    import io

    with Image.open(io.BytesIO(blob)) as uploaded:
        assert dict(uploaded.getexif()) == {0x0112: 8}
        assert uploaded.getexif().get_ifd(GPS_IFD) == {}
    assert image["image"]["size"] == len(blob) < (folder / "hall.jpg").stat().st_size


def test_unknown_handle_and_too_long_text_are_one_line_errors(env, proxy, tmp_path):
    draft = good_draft(tmp_path / "drafts")
    result = env.run("publish", str(draft), ALTAUDIT_HANDLE="nobody-here.test")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == "altaudit: error: no account has the handle nobody-here.test (on %s)" % env.pds.url
    long_draft = good_draft(tmp_path / "long", text="Our Community Day is back! " * 12)  # 323 characters once trimmed
    result = env.run("publish", str(long_draft), ALTAUDIT_PDS_URL=proxy.url)
    assert result.returncode == 2
    assert "a Bluesky post holds at most 300" in result.stderr
    assert proxy.paths == []
    assert env.posts() == []


def test_a_run_waits_for_the_one_holding_the_ledger(env, tmp_path):
    import fcntl
    import select

    draft = good_draft(tmp_path / "drafts")
    env.ledger.parent.mkdir(parents=True)
    with open(env.ledger.parent / "published.json.lock", "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as another publish run would
        process = env.start("publish", str(draft))
        ready, _, _ = select.select([process.stderr], [], [], 30)
        assert ready
        assert "another publish run holds the ledger: waiting" in process.stderr.readline()
        assert env.posts() == []
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert len(env.posts()) == 1
