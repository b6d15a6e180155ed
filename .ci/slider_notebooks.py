"""Print the notebooks that show sliders or other knobs (for the ipywidgets 7.7.1 pass).

A notebook counts when its .py pair builds a panel or an ipywidgets control, so a new
notebook with sliders is picked up without editing CI.
"""
import re
from pathlib import Path

KNOBS = re.compile(r"retrain_panel|Slider\(|Dropdown\(")  # 02's scrubber: test_widget_panels
notebooks = Path(__file__).resolve().parent.parent / "notebooks"
print(" ".join(f"notebooks/{p.with_suffix('.ipynb').name}"
               for p in sorted(notebooks.glob("[0-9]*.py")) if KNOBS.search(p.read_text())))
