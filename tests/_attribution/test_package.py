"""The subpackage's own surface (framing._attribution/__init__.py)."""

import subprocess
import sys


def test_names_imported_from_the_package_before_the_split_still_are():
    import framing._attribution as package
    from framing._attribution import assemble, model, tagger, tokens

    for name, home in [("SpanAttribution", model), ("AttributionModel", model), ("_KeyIndex", model),
                       ("default_model_dir", model), ("load_attribution_model", model),
                       ("extract_attributions", assemble), ("extract_attributions_many", assemble),
                       ("_agent", assemble), ("_single_quoted", assemble), ("_softmax", tagger),
                       ("decode", tagger), ("tokenize_spans", tokens)]:
        assert getattr(package, name) is getattr(home, name), name
    assert all(hasattr(package, name) for name in package.__all__)


def test_importing_the_package_leaves_the_trainer_out():
    # `python -m framing._attribution.train` warns if the package has already imported it.
    code = "import sys, framing._attribution; print('framing._attribution.train' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
