"""The digits: the embedded asset and its split, the IDX parser, the full-set download."""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest

from nn import full_mnist
from nn.data import DataError, load_dataset, load_embedded, stratified_split
from nn.idx import IdxFormatError, parse_idx, read_images_and_labels
from nn.npz_io import write_npz


def test_embedded_asset_is_5000_digits_500_per_class(dataset):
    assert dataset.images.shape == (5000, 28, 28) and dataset.images.dtype == np.uint8
    assert dataset.labels.dtype == np.uint8
    assert np.bincount(dataset.labels).tolist() == [500] * 10
    assert dataset.images.max() == 255 and dataset.images.min() == 0


def test_embedded_split_is_stratified_seeded_and_disjoint(dataset):
    train, test = dataset.train_index, dataset.test_index
    assert train.size == 4000 and test.size == 1000
    assert np.intersect1d(train, test).size == 0
    assert np.bincount(dataset.labels[test]).tolist() == [100] * 10
    again = load_embedded()
    np.testing.assert_array_equal(again.test_index, test)
    _other_train, other_test = stratified_split(dataset.labels, 100, seed=1)
    assert not np.array_equal(other_test, test)


def test_inputs_are_intensities_in_unit_interval(dataset):
    x = dataset.inputs(dataset.train_index[:5])
    assert x.shape == (5, 784) and x.min() >= 0 and x.max() <= 1


def test_missing_or_corrupt_asset_names_the_rebuild(tmp_path):
    with pytest.raises(DataError, match="make asset"):
        load_embedded(tmp_path / "nope.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DataError, match="make asset"):
        load_embedded(bad)
    wrong = tmp_path / "wrong.npz"
    write_npz(
        wrong, {"images": np.zeros((10, 28, 28), np.float32), "labels": np.zeros(10, np.uint8)}
    )
    with pytest.raises(DataError, match="uint8"):
        load_embedded(wrong)


def test_unknown_source_is_refused(monkeypatch):
    monkeypatch.setenv("MNIST", "fashion")
    with pytest.raises(DataError, match="embedded, full"):
        load_dataset()


# IDX files written by the tests.


def idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    header = bytes([0, 0, type_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_gz(path: Path, raw: bytes) -> Path:
    path.write_bytes(gzip.compress(raw))
    return path


def test_idx_round_trip():
    images = np.arange(3 * 28 * 28, dtype=np.uint32).reshape(3, 28, 28) % 256
    np.testing.assert_array_equal(parse_idx(idx_bytes(images), ndim=3), images)


@pytest.mark.parametrize(
    "raw,message",
    [
        (b"\x00\x00", "too short"),
        (b"\x01\x00\x08\x01" + struct.pack(">I", 1) + b"\x00", "magic"),
        (b"\x00\x00\x0d\x01" + struct.pack(">I", 1) + b"\x00", "unsigned byte"),
        (b"\x00\x00\x08\x02" + struct.pack(">II", 1, 1) + b"\x00", "2 dimensions"),
        (b"\x00\x00\x08\x01" + struct.pack(">I", 5) + b"\x00", "promises"),
    ],
)
def test_idx_header_checks(raw, message):
    with pytest.raises(IdxFormatError, match=message):
        parse_idx(raw, ndim=1)


def test_split_files_must_agree(tmp_path):
    images = write_gz(tmp_path / "i.gz", idx_bytes(np.zeros((4, 28, 28))))
    labels = write_gz(tmp_path / "l.gz", idx_bytes(np.zeros(3)))
    with pytest.raises(IdxFormatError, match="3 labels for 4 images"):
        read_images_and_labels(images, labels)
    small = write_gz(tmp_path / "s.gz", idx_bytes(np.zeros((3, 8, 8))))
    with pytest.raises(IdxFormatError, match=r"\(28, 28\)"):
        read_images_and_labels(small, labels)
    (tmp_path / "n.gz").write_bytes(b"plain bytes")
    with pytest.raises(IdxFormatError, match="gzip"):
        read_images_and_labels(tmp_path / "n.gz", labels)


@pytest.fixture
def tiny_mirror(tmp_path):
    """A local 'mirror' (file:// URL) serving a tiny data set in the four standard files."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    rng = np.random.default_rng(0)
    contents = {
        "train-images-idx3-ubyte.gz": idx_bytes(rng.integers(0, 256, (6, 28, 28))),
        "train-labels-idx1-ubyte.gz": idx_bytes(np.arange(6) % 10),
        "t10k-images-idx3-ubyte.gz": idx_bytes(rng.integers(0, 256, (2, 28, 28))),
        "t10k-labels-idx1-ubyte.gz": idx_bytes(np.array([3, 4])),
    }
    checksums = {}
    for name, raw in contents.items():
        path = write_gz(mirror / name, raw)
        checksums[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return mirror.as_uri(), checksums


def test_full_set_download_verifies_caches_and_parses(tiny_mirror, tmp_path):
    url, checksums = tiny_mirror
    cache = tmp_path / "cache"
    images, labels, n_train, digest = full_mnist.load_full_mnist(
        mirror=url, cache_dir=cache, checksums=checksums
    )
    assert images.shape == (8, 28, 28) and n_train == 6 and labels[-2:].tolist() == [3, 4]
    assert len(digest) == 64
    # Cached: a second load needs no mirror at all.
    again = full_mnist.load_full_mnist(
        mirror=(tmp_path / "gone").as_uri(), cache_dir=cache, checksums=checksums
    )
    np.testing.assert_array_equal(again[0], images)


def test_full_set_download_rejects_a_wrong_checksum(tiny_mirror, tmp_path):
    url, checksums = tiny_mirror
    wrong = dict(checksums, **{"t10k-labels-idx1-ubyte.gz": "0" * 64})
    with pytest.raises(full_mnist.DownloadError, match="does not match"):
        full_mnist.load_full_mnist(mirror=url, cache_dir=tmp_path / "cache", checksums=wrong)
    assert not (tmp_path / "cache" / "t10k-labels-idx1-ubyte.gz").exists()
    assert not list((tmp_path / "cache").glob("*.part"))


def test_full_set_download_names_the_mirror_when_unreachable(tmp_path):
    with pytest.raises(full_mnist.DownloadError, match="MNIST_MIRROR"):
        full_mnist.fetch(
            "train-labels-idx1-ubyte.gz",
            mirror=(tmp_path / "none").as_uri(),
            cache_dir=tmp_path / "cache",
        )
