"""Versioned models on disk: one folder per version with a manifest, a CURRENT pointer per kind.

Layout under the registry root (`<data_dir>/models`):

    <kind>/v0001/manifest.json   version, created, metrics, dataset fingerprint, config, livebot version,
    <kind>/v0001/...             parent version, and the files with their sha256
    <kind>/CURRENT               the version the bot serves (replaced atomically)
    <kind>/history.jsonl         every promotion, for rollback

Publishing builds the version in a staging folder and renames it into place (a directory rename is atomic
and fails if the name exists, so two publishers never collide); the bot therefore never sees half a version.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from training import __version__

MANIFEST = "manifest.json"
CURRENT = "CURRENT"
HISTORY = "history.jsonl"
VERSION_RE = re.compile(r"^v(\d{4,})$")
KIND_RE = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")


class RegistryError(RuntimeError):
    """A registry operation that cannot be done (unknown kind or version, a broken manifest)."""


@dataclass
class Manifest:
    kind: str
    version: str
    created: str
    metrics: dict[str, Any] = field(default_factory=dict)
    dataset: str = ""  # fingerprint of the training data (sha256 of what was read)
    config: dict[str, Any] = field(default_factory=dict)
    livebot_version: str = __version__
    parent: str | None = None
    job_id: int | None = None
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError) as exc:
            raise RegistryError(f"{folder / MANIFEST}: unreadable manifest ({exc})") from exc


@dataclass(frozen=True)
class Version:
    manifest: Manifest
    path: Path

    @property
    def name(self) -> str:
        return self.manifest.version


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class Registry:
    """All kinds' versions under one root folder; safe to use from several processes at once."""

    def __init__(self, root: Path, keep: int = 5, prune_min_age_s: float = 60.0):
        self.root = Path(root)
        self.keep = keep
        # A version younger than this may be one another publisher has not promoted yet: prune leaves it.
        self.prune_min_age_s = prune_min_age_s

    def kind_dir(self, kind: str) -> Path:
        if not KIND_RE.match(kind):
            raise RegistryError(f"model kind {kind!r}: expected lower-case letters, digits, '-' or '_'")
        return self.root / kind

    # -- reading ------------------------------------------------------------------------------------
    def kinds(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and KIND_RE.match(p.name))

    def versions(self, kind: str) -> list[Version]:
        folder = self.kind_dir(kind)
        if not folder.is_dir():
            return []
        found = []
        for path in folder.iterdir():
            if VERSION_RE.match(path.name) and (path / MANIFEST).exists():
                try:
                    found.append(Version(Manifest.read(path), path))
                except RegistryError:
                    if path.exists():  # pruned by another process between the listing and the read: skip it
                        raise
        return sorted(found, key=lambda v: int(v.name[1:]))

    def get(self, kind: str, version: str) -> Version:
        path = self.kind_dir(kind) / version
        if not VERSION_RE.match(version) or not (path / MANIFEST).exists():
            known = ", ".join(v.name for v in self.versions(kind)) or "none"
            raise RegistryError(f"{kind} has no version {version!r} (known: {known})")
        return Version(Manifest.read(path), path)

    def current_name(self, kind: str) -> str | None:
        """The promoted version's name; cheap (one small file), so the bot can poll it."""
        try:
            name = (self.kind_dir(kind) / CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def current(self, kind: str) -> Version | None:
        name = self.current_name(kind)
        return self.get(kind, name) if name else None

    def history(self, kind: str) -> list[dict[str, Any]]:
        path = self.kind_dir(kind) / HISTORY
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    # -- writing ------------------------------------------------------------------------------------
    @contextmanager
    def staging(self, kind: str) -> Iterator[Path]:
        """A private folder to write a new version's files into; removed if publishing does not happen."""
        folder = self.kind_dir(kind)
        folder.mkdir(parents=True, exist_ok=True)
        stage = folder / f".staging-{uuid.uuid4().hex}"
        stage.mkdir()
        try:
            yield stage
        finally:
            if stage.exists():
                shutil.rmtree(stage, ignore_errors=True)

    def publish(
        self,
        kind: str,
        stage: Path,
        *,
        metrics: dict[str, Any] | None = None,
        dataset: str = "",
        config: dict[str, Any] | None = None,
        job_id: int | None = None,
        promote: bool = True,
    ) -> Version:
        """Move a staged folder into place as the next version (and make it current unless told not to)."""
        files = {str(p.relative_to(stage)): sha256_file(p) for p in sorted(stage.rglob("*")) if p.is_file()}
        manifest = Manifest(
            kind=kind,
            version="",
            created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            metrics=dict(metrics or {}),
            dataset=dataset,
            config=dict(config or {}),
            parent=self.current_name(kind),
            job_id=job_id,
            files=files,
        )
        folder = self.kind_dir(kind)
        for _ in range(1000):
            existing = [int(m.group(1)) for p in folder.iterdir() if (m := VERSION_RE.match(p.name))]
            manifest.version = f"v{max(existing, default=0) + 1:04d}"
            _atomic_write(stage / MANIFEST, json.dumps(asdict(manifest), indent=2, ensure_ascii=False))
            try:
                os.rename(stage, folder / manifest.version)
            except OSError:
                continue  # another publisher took that number a moment ago: take the next one
            break
        else:
            raise RegistryError(f"could not find a free version name under {folder}")
        version = Version(manifest, folder / manifest.version)
        if promote:
            self.promote(kind, manifest.version, reason="published")
        self.prune(kind)
        return version

    def promote(self, kind: str, version: str, reason: str = "promoted") -> Version:
        target = self.get(kind, version)
        previous = self.current_name(kind)
        folder = self.kind_dir(kind)
        _atomic_write(folder / CURRENT, version + "\n")
        with (folder / HISTORY).open("a", encoding="utf-8") as fh:
            entry = {"ts": time.time(), "version": version, "previous": previous, "reason": reason}
            fh.write(json.dumps(entry) + "\n")
        return target

    def rollback(self, kind: str) -> Version:
        """Undo the last promotion: serve the version that was current before it. Repeated rollbacks walk
        further back (a stack of promotions, rebuilt from the history); pruned versions are skipped."""
        current = self.current_name(kind)
        if current is None:
            raise RegistryError(f"{kind} has no current version to roll back from")
        stack: list[str] = []
        for entry in self.history(kind):
            if str(entry.get("reason", "")).startswith("rollback"):
                if stack:
                    stack.pop()
            else:
                stack.append(entry["version"])
        if stack and stack[-1] == current:
            stack.pop()
        existing = {v.name for v in self.versions(kind)}
        while stack and (stack[-1] not in existing or stack[-1] == current):
            stack.pop()
        if stack:
            return self.promote(kind, stack[-1], reason=f"rollback from {current}")
        # Nothing was served before: the newest version older than the current one.
        older = sorted((int(name[1:]), name) for name in existing if int(name[1:]) < int(current[1:]))
        if not older:
            raise RegistryError(f"{kind}: nothing older than {current} to roll back to")
        return self.promote(kind, older[-1][1], reason=f"rollback from {current}")

    def prune(self, kind: str) -> list[str]:
        """Delete all but the newest `keep` versions; the current one and its parent always stay."""
        versions = self.versions(kind)
        current = self.current_name(kind)
        protected = {current}
        if current is not None:
            protected.add(self.get(kind, current).manifest.parent)
        removed = []
        young = time.time() - self.prune_min_age_s
        for version in versions[: max(0, len(versions) - self.keep)]:
            if version.name not in protected and version.path.stat().st_mtime <= young:
                shutil.rmtree(version.path, ignore_errors=True)
                removed.append(version.name)
        return removed

    def verify(self, version: Version) -> list[str]:
        """Files whose bytes no longer match the manifest (a half-copied or edited version)."""
        bad = []
        for rel, digest in version.manifest.files.items():
            path = version.path / rel
            if not path.exists() or sha256_file(path) != digest:
                bad.append(rel)
        return bad


def fingerprint(paths: list[Path]) -> str:
    """sha256 over the bytes of the given files (the dataset a version was trained on)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return "sha256:" + digest.hexdigest()
