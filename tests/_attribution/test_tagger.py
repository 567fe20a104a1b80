"""Stage-1 scores, stacking and BIO decoding (framing._attribution.tagger)."""

import numpy as np

from framing._attribution.tagger import _softmax


def test_softmax_rows():
    z = np.array([[1.0, 2.0, 3.0, 0.0, -1.0], [1000.0, 0.0, 0.0, 0.0, 0.0]], dtype=np.float32)
    expected = np.exp(z - z.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(_softmax(z.copy()), expected, rtol=1e-6)


def test_decode_obeys_bio_transitions():
    from framing._attribution.tagger import decode

    rng = np.random.default_rng(0)
    z = rng.normal(size=(400, 5)).astype(np.float32) * 2
    z[:, [2, 4]] += 1.5  # many I labels win on their own: the decoder must repair them
    sent = np.repeat(np.arange(40), 10)
    y = decode(z, sent)
    prev = np.concatenate([[0], y[:-1]])
    prev[np.flatnonzero(np.diff(sent)) + 1] = 0  # a sentence starts outside any span
    assert not (((y == 2) & ~np.isin(prev, [1, 2])) | ((y == 4) & ~np.isin(prev, [3, 4]))).any()
    # where the best labels already obey the transitions, they are kept
    ok = z.copy()
    ok[:, [2, 4]] = -9
    assert (decode(ok, sent) == ok.argmax(axis=1)).all()
