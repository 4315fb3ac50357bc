"""The two functions of `supervision` that inference_sdk's loaders import.

supervision is on PyPI only, which this project's machines cannot reach, and the workflow methods
under test never call these (they read video files and directories). They are implemented, not
stubbed, so that a loader that does call them behaves as with the real package.
"""
from pathlib import Path
from typing import Iterator, List, Optional, Union

import cv2
import numpy as np


def get_video_frames_generator(source_path: str, stride: int = 1, start: int = 0, end: Optional[int] = None) -> Iterator[np.ndarray]:
    capture = cv2.VideoCapture(source_path)
    if not capture.isOpened():
        raise Exception(f"Could not open video at {source_path}")
    index = 0
    try:
        while end is None or index < end:
            ok, frame = capture.read()
            if not ok:
                return
            if index >= start and (index - start) % stride == 0:
                yield frame
            index += 1
    finally:
        capture.release()


def list_files_with_extensions(directory: Union[str, Path], extensions: Optional[List[str]] = None) -> List[Path]:
    wanted = None if extensions is None else {extension.lower().lstrip(".") for extension in extensions}
    return [path for path in sorted(Path(directory).iterdir()) if path.is_file() and (wanted is None or path.suffix.lower().lstrip(".") in wanted)]
