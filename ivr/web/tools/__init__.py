"""The staff's tools beside the line: the web phone (``/phone``) and the tree map (``/tree``).

``phone`` tries the line in a browser through its real, signed webhooks; ``tree_map`` shows the
tree as a flowchart. Both are for logged-in staff, or anyone in development mode (``access``).
``call_driver`` plays Twilio's side of a call (for the web phone and ``ivr simulate``), with the
call's data in ``emulated_call`` and the tried call's clock and kept SMS in ``stand_ins``.
The voice webhooks and the staff console never import these (lint-imports checks it).
"""
