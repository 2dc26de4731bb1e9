import json

from galeri.jsonld import json_for_script


def test_json_for_script_keeps_hostile_text_as_data() -> None:
    hostile = {"name": "</script><script>alert(1)</script> <!-- & \u2028"}
    text = json_for_script(hostile)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == hostile
