"""The embedded demo mesh: the online shop of the seed story, every service behind a mesh-proxy.

`mesh-demo` (`meshgui.demo.__main__`) starts it headless; `meshgui --demo` starts the same in the
background (`launcher`). Nothing here imports Qt.
"""
