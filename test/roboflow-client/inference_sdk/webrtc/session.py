"""WebRTC session management."""

import asyncio
import base64
import functools
import gzip
import inspect
import json
import queue
import struct
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from queue import Queue
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Tuple

import cv2
import numpy as np
import requests
from aiortc import RTCConfiguration, RTCIceServer

from inference_sdk.config import (
    ALL_ROBOFLOW_API_URLS,
    RF_API_BASE_URL,
    WEBRTC_EVENT_LOOP_SHUTDOWN_TIMEOUT,
    WEBRTC_VIDEO_QUEUE_MAX_SIZE,
)
from inference_sdk.utils.logging import get_logger
from inference_sdk.webrtc.config import StreamConfig
from inference_sdk.webrtc.datachannel import ChunkReassembler
from inference_sdk.webrtc.sources import StreamSource, VideoFileSource

if TYPE_CHECKING:
    from aiortc import RTCDataChannel, RTCPeerConnection


def _check_webrtc_dependencies():
    """Check if WebRTC dependencies are installed and provide helpful error message."""
    try:
        import aiortc  # noqa: F401
        import av  # noqa: F401
    except ImportError as e:
        raise ImportError(
            "WebRTC dependencies are not installed.\n"
            "Install them with: pip install inference-sdk[webrtc]\n"
            "Or if installing from source: pip install aiortc>=1.9.0"
        ) from e


logger = get_logger("webrtc.session")


def _decode_base64_image(base64_str: str) -> np.ndarray:
    """Decode base64 image string to BGR numpy array.

    Args:
        base64_str: Base64-encoded image data (JPEG or PNG)

    Returns:
        BGR numpy array (H, W, 3) uint8
    """
    img_bytes = base64.b64decode(base64_str)
    nparr = np.frombuffer(img_bytes, np.uint8)
    return cv2.imdecode(nparr, cv2.IMREAD_COLOR)


class SessionState(Enum):
    """WebRTC session lifecycle states."""

    NOT_STARTED = "not_started"
    STARTED = "started"
    CLOSED = "closed"


@dataclass
class VideoMetadata:
    """Metadata about a video frame received from WebRTC stream.

    This metadata is attached to each frame processed by the server
    and can be used to track frame timing, synchronization, and
    processing information.

    Attributes:
        frame_id: Unique identifier for this frame in the stream
        received_at: Timestamp when the server received the frame
        pts: Presentation timestamp from the video stream (optional)
        time_base: Time base for interpreting pts values (optional)
        declared_fps: Declared/expected frames per second (optional)
        measured_fps: Measured actual frames per second (optional)
        errors: Per-frame errors reported by the server (workflow execution
            failures, output serialization failures, etc). Empty list means
            the frame processed cleanly. Subscribe with `@session.on_error`
            to react only to error frames.
    """

    frame_id: int
    received_at: datetime
    pts: Optional[int] = None
    time_base: Optional[float] = None
    declared_fps: Optional[float] = None
    measured_fps: Optional[float] = None
    errors: List[str] = field(default_factory=list)


class _VideoStream:
    """Wrapper for video frame queue providing iterator interface."""

    def __init__(
        self,
        session: "WebRTCSession",
        frames: "Queue[Optional[tuple[np.ndarray, VideoMetadata]]]",
    ):
        self._session = session
        self._frames = frames

    def __call__(self) -> Iterator[Tuple]:
        """Iterate over video frames.

        Automatically starts the session if not already started.

        In default mode yields ``(frame, metadata)`` tuples. In model mode
        (model_id) yields ``(frame, data)`` tuples where ``data`` is the raw
        serialized predictions output dict passed through verbatim (e.g.
        ``sv.Detections.from_inference(data)`` for detection models), or None
        when predictions are unavailable for the frame. Iteration continues
        until the stream ends (None received) or the session is closed.
        """
        self._session._ensure_started()
        while True:
            # Check if session was closed (e.g., from a handler)
            if self._session._state == SessionState.CLOSED:
                break

            frame_data = self._frames.get()

            if frame_data is None:
                break

            # In model mode queue items are (frame, data, metadata);
            # the public iterator only exposes (frame, data).
            if self._session._model_mode:
                frame, data, _metadata = frame_data
                yield frame, data
            else:
                yield frame_data


class WebRTCSession:
    """WebRTC session for streaming video and receiving inference results.

    This class manages the WebRTC peer connection, video streaming,
    and data channel communication with the inference server.

    The session automatically starts on first use (e.g., calling run() or video()).
    Call close() to cleanup resources, or rely on __del__ for automatic cleanup.

    Example:
        session = client.webrtc.stream(source=source, workflow=workflow)

        @session.on_frame
        def process_frame(frame, metadata):
            cv2.imshow("Frame", frame)
            if cv2.waitKey(1) & 0xFF == ord('q'):
                session.close()

        session.run()  # Auto-starts, auto-closes on exception
    """

    def __init__(
        self,
        api_url: str,
        api_key: Optional[str],
        source: StreamSource,
        image_input_name: str,
        workflow_config: dict,
        stream_config: StreamConfig,
        model_mode: bool = False,
        predictions_output: Optional[str] = None,
        api_key_transport: str = "legacy",
    ) -> None:
        """Initialize WebRTC session.

        Args:
            api_url: Inference server API URL
            api_key: API key for authentication
            source: Stream source instance
            image_input_name: Name of image input in workflow
            workflow_config: Workflow configuration dict
            stream_config: Stream configuration
            model_mode: When True (model_id mode), the session pairs each
                frame with the workflow predictions and delivers the raw
                serialized predictions dict to ``on_frame`` handlers and the
                ``video()`` iterator instead of ``VideoMetadata``. The dict
                is passed through verbatim - its shape is whatever the
                model's output kind serializes to server-side (e.g.
                detection-style for detection models, ``top``/``confidence``
                for classification). When predictions are unavailable for a
                frame (pairing eviction, pts=None, missing output), ``data``
                is None - handlers must check for it.
            predictions_output: Name of the workflow output holding the
                serialized predictions dict (paired with each frame in model
                mode). Defaults to "predictions" - must match the JsonField
                name emitted by ``model_workflows.build_model_workflow``.
        """

        self._state: SessionState = SessionState.NOT_STARTED
        self._state_lock: threading.Lock = threading.Lock()
        self._close_lock: threading.Lock = threading.Lock()
        self._close_started = False
        self._close_done = threading.Event()

        self._api_url = api_url.rstrip("/")
        self._api_key = api_key
        self._api_key_transport = api_key_transport
        self._source = source
        self._image_input_name = image_input_name
        self._workflow_config = workflow_config
        self._config = stream_config
        self._model_mode = model_mode
        self._predictions_output = predictions_output or "predictions"

        # Internal state
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._loop_thread: Optional[threading.Thread] = None
        self._pc: Optional["RTCPeerConnection"] = None
        # In model mode queue items carry an extra raw-predictions-dict element:
        # (frame, data, metadata). In default mode: (frame, metadata).
        self._video_queue: "Queue[Optional[tuple]]" = Queue(
            maxsize=WEBRTC_VIDEO_QUEUE_MAX_SIZE
        )
        self._video_through_datachannel = False

        # Video-track pairing state (model mode, live sources).
        # Track-frame reader and datachannel callbacks both run on the single
        # asyncio loop thread, so plain dicts are safe (no lock needed).
        self._pending_frames: (
            "Dict[int, Tuple[np.ndarray, Optional[VideoMetadata]]]"
        ) = {}
        self._pending_predictions: "Dict[int, dict]" = {}
        self._pairing_max_size = 150
        # Some server paths (observed on serverless) deliver the returned
        # track frame with a pts a few 90kHz ticks off the datachannel
        # metadata pts (timebase-conversion rounding in transit). Frames are
        # tens of milliseconds (thousands of ticks) apart, so a ±1ms window
        # pairs those without ever being ambiguous between neighbours.
        self._pairing_pts_tolerance = 90
        # Pairing health counters: detect a systematic pts mismatch between the
        # video track and the datachannel metadata (see _evict_pending_frames).
        self._pairing_matched = 0
        self._pairing_evicted = 0
        self._pairing_mismatch_warned = False

        # Callback handlers
        self._frame_handlers: List[Callable] = []
        self._data_field_handlers: Dict[str, List[Callable]] = {}
        self._data_global_handler: Optional[Callable] = None
        self._error_handlers: List[Callable] = []

        # Chunk reassembly for binary messages
        self._chunk_reassembler = ChunkReassembler()

        # Public APIs
        self.video = _VideoStream(self, self._video_queue)

    def _init_connection(self) -> None:
        """Initialize event loop, thread, and WebRTC connection."""
        # Start event loop in background thread
        self._loop = asyncio.new_event_loop()

        def _run(loop: asyncio.AbstractEventLoop) -> None:
            asyncio.set_event_loop(loop)
            loop.run_forever()

        self._loop_thread = threading.Thread(
            target=_run, args=(self._loop,), daemon=True
        )
        self._loop_thread.start()

        # Initialize WebRTC connection
        fut = asyncio.run_coroutine_threadsafe(self._init(), self._loop)
        try:
            fut.result()
        except requests.exceptions.HTTPError as e:
            if e.response.status_code == 404:
                raise RuntimeError(
                    f"WebRTC endpoint not found at {self._api_url}/initialise_webrtc_worker.\n"
                    f"This API URL may not support WebRTC streaming.\n"
                    f"Troubleshooting:\n"
                    f"  - For self-hosted inference, ensure the server is started with WebRTC enabled\n"
                    f"  - For Roboflow Cloud, use a dedicated inference server URL (not serverless.roboflow.com)\n"
                    f"  - Verify the --api-url parameter points to the correct server\n"
                    f"Response: {e.response.text}"
                ) from e
            else:
                raise RuntimeError(
                    f"Failed to initialize WebRTC session (HTTP {e.response.status_code}).\n"
                    f"API URL: {self._api_url}\n"
                    f"Error: {e}\n"
                    f"Response: {e.response.text}"
                ) from e
        except Exception as e:
            raise RuntimeError(
                f"Failed to initialize WebRTC session: {e.__class__.__name__}: {e}\n"
                f"API URL: {self._api_url}"
            ) from e

    def _ensure_started(self) -> None:
        """Ensure connection is started (thread-safe, idempotent)."""
        with self._state_lock:
            if self._state == SessionState.NOT_STARTED:
                self._state = SessionState.STARTED
                self._init_connection()
            elif self._state == SessionState.CLOSED:
                raise RuntimeError("Cannot use closed WebRTCSession")

    def _parse_video_metadata(
        self,
        video_metadata_dict: Optional[dict],
        errors: Optional[List[str]] = None,
    ) -> Optional[VideoMetadata]:
        """Parse video metadata from message dict.

        Args:
            video_metadata_dict: Dictionary containing video metadata fields
            errors: Per-frame errors reported by the server alongside the
                metadata (e.g. workflow execution failures). Attached to the
                returned VideoMetadata so handlers can react to them.

        Returns:
            VideoMetadata instance or None if parsing fails or dict is None
        """
        if not video_metadata_dict:
            return None

        try:
            return VideoMetadata(
                frame_id=video_metadata_dict["frame_id"],
                received_at=datetime.fromisoformat(video_metadata_dict["received_at"]),
                pts=video_metadata_dict.get("pts"),
                time_base=video_metadata_dict.get("time_base"),
                declared_fps=video_metadata_dict.get("declared_fps"),
                measured_fps=video_metadata_dict.get("measured_fps"),
                errors=list(errors) if errors else [],
            )
        except (KeyError, ValueError, TypeError) as e:
            logger.warning(f"Failed to parse video_metadata: {e}")
            return None

    def close(self) -> None:
        """Close session and cleanup all resources. Idempotent - safe to call multiple times.

        This method closes the WebRTC peer connection, releases source resources
        (webcam, video files, etc.), stops the event loop, and joins the background thread.

        Calls from the WebRTC event loop dispatch cleanup to a helper thread so the
        loop remains available to finish its asynchronous cleanup. Other callers
        block until that cleanup completes.

        Example:
            session = client.webrtc.stream(source=source, workflow=workflow)
            session.run()  # Auto-starts and auto-closes on exception
            session.close()  # Explicit cleanup (or let __del__ handle it)
        """
        if threading.current_thread() is self._loop_thread:
            self._close_from_event_loop()
            return

        with self._close_lock:
            if self._close_started:
                close_owner = False
            else:
                self._close_started = True
                close_owner = True

        if close_owner:
            self._close_resources()
        else:
            self._close_done.wait()

    def _close_from_event_loop(self) -> None:
        """Dispatch cleanup without blocking the WebRTC event loop."""
        with self._close_lock:
            if self._close_started:
                return
            self._close_started = True
            close_thread = threading.Thread(
                target=self._close_in_background,
                name="webrtc-session-close",
                daemon=True,
            )
            try:
                close_thread.start()
            except Exception:
                self._close_started = False
                raise

    def _close_in_background(self) -> None:
        """Close resources owned by a callback without surfacing async errors."""
        try:
            self._close_resources()
        except Exception:
            logger.exception("Failed to close WebRTC session")

    def _close_resources(self) -> None:
        """Close session resources once and signal waiting callers."""
        try:
            with self._state_lock:
                self._state = SessionState.CLOSED

            # Signal video iterator to stop by putting None sentinel
            try:
                self._video_queue.put_nowait(None)
            except Exception:
                pass  # Queue might be full, but that's okay

            # Cleanup resources (nested finally ensures all cleanup steps execute)
            try:
                # Close peer connection
                if self._loop and self._pc:
                    asyncio.run_coroutine_threadsafe(
                        self._pc.close(), self._loop
                    ).result()
            finally:
                try:
                    # Cleanup source (webcam, video file, etc.)
                    if self._loop and self._source:
                        asyncio.run_coroutine_threadsafe(
                            self._source.cleanup(), self._loop
                        ).result()
                finally:
                    # Stop event loop and join thread
                    if self._loop:
                        self._loop.call_soon_threadsafe(self._loop.stop)
                    if self._loop_thread:
                        self._loop_thread.join(
                            timeout=WEBRTC_EVENT_LOOP_SHUTDOWN_TIMEOUT
                        )
        finally:
            self._close_done.set()

    def __enter__(self) -> "WebRTCSession":
        """Enter context manager - returns self.

        Returns:
            WebRTCSession: The session instance for use in with statement.
        """
        return self

    def __exit__(self, exc_type, exc_val, exc_tb) -> None:
        """Exit context manager - automatically closes the session.

        Args:
            exc_type: Exception type if an exception occurred, None otherwise.
            exc_val: Exception value if an exception occurred, None otherwise.
            exc_tb: Exception traceback if an exception occurred, None otherwise.
        """
        self.close()

    def __del__(self) -> None:
        """Cleanup if user forgot to close. Not guaranteed to run immediately."""
        try:
            if self._state == SessionState.STARTED:
                logger.warning(
                    "WebRTCSession was not properly closed. "
                    "Consider calling session.close() explicitly for immediate cleanup."
                )
                self.close()
        except Exception:
            pass  # Never raise from __del__

    def wait(self, timeout: Optional[float] = None) -> None:
        """Wait for session to complete.

        Blocks until the video stream ends (None received) or timeout expires.
        Automatically starts the session if not already started.

        Args:
            timeout: Maximum time to wait in seconds (None for indefinite)

        Raises:
            TimeoutError: If timeout expires before stream ends
        """
        self._ensure_started()
        try:
            while True:
                frame_data = self._video_queue.get(timeout=timeout)
                if frame_data is None:
                    break
        except queue.Empty:
            if timeout is not None:
                raise TimeoutError(
                    f"WebRTC session wait() timed out after {timeout}s.\n"
                    "The video stream did not end within the timeout period."
                )

    def on_frame(self, callback: Callable) -> Callable:
        """Decorator to register frame callback handlers.

        The registered handlers will be called for each video frame received
        when using the run() method. Handlers must accept two parameters:
        - frame: BGR numpy array (np.ndarray)
        - metadata: Video metadata (VideoMetadata) extracted from the video frame

        Args:
            callback: Callback function that accepts (frame, metadata)

        Returns:
            The callback itself

        Examples:
            @session.on_frame
            def process_frame(frame: np.ndarray, metadata: VideoMetadata):
                print(f"Frame {metadata.frame_id} - PTS: {metadata.pts}")
                cv2.imshow("Frame", frame)
                if cv2.waitKey(1) & 0xFF == ord('q'):
                    session.stop()
        """
        self._frame_handlers.append(callback)
        return callback

    def on_data(self, field_name: Optional[str] = None) -> Callable:
        """Decorator to register data channel callback handlers.

        Can be used with or without parentheses:
            @session.on_data          # without parentheses (global handler)
            @session.on_data()        # with parentheses (global handler)
            @session.on_data("field") # with field name (field-specific handler)

        Args:
            field_name: If provided, handler receives only that field's value.
                       If None, handler receives entire serialized_output_data dict.

        Returns:
            Decorator function or decorated function

        Examples:
            # Global handler without parentheses
            @session.on_data
            def handle_all(data: dict, metadata: VideoMetadata):
                print(f"All data: {data}")

            # Field-specific handler
            @session.on_data("predictions")
            def handle_predictions(data: dict, metadata: VideoMetadata):
                print(f"Frame {metadata.frame_id}: {data}")

            # Field-specific handler (no metadata)
            @session.on_data("predictions")
            def handle_predictions(data: dict):
                print(data)

            # Global handler with parentheses
            @session.on_data()
            def handle_all(data: dict, metadata: VideoMetadata):
                print(f"All data: {data}")
        """
        # Check if being used without parentheses: @session.on_data
        # In this case, field_name is actually the function being decorated
        if callable(field_name):
            fn = field_name
            self._data_global_handler = fn
            return fn

        # Being used with parentheses: @session.on_data() or @session.on_data("field")
        def decorator(fn: Callable) -> Callable:
            if field_name is None:
                self._data_global_handler = fn
            else:
                if field_name not in self._data_field_handlers:
                    self._data_field_handlers[field_name] = []
                self._data_field_handlers[field_name].append(fn)
            return fn

        return decorator

    def on_error(self, callback: Callable) -> Callable:
        """Decorator to register per-frame error handlers.

        The server reports per-frame errors alongside each data channel
        message (workflow execution failures, output serialization failures,
        etc.). Handlers registered here are invoked **only** for frames whose
        error list is non-empty.

        Handler signature options:
            handler(errors: List[str], metadata: VideoMetadata)
            handler(errors: List[str])

        Example:
            @session.on_error
            def on_err(errors: List[str], metadata: VideoMetadata):
                logger.error(f"frame {metadata.frame_id} failed: {errors}")
                session.close()  # bail out on first error

        Notes:
            - These errors are *server-reported* per-frame failures. They do
              NOT include connection failures, ICE failures, or setup errors;
              those surface as exceptions from `run()` or as ERROR-level log
              lines from the SDK.
            - Errors are also attached to `VideoMetadata.errors` for every
              frame, so existing `@on_data` / `@on_frame` handlers can inspect
              `metadata.errors` directly without registering a separate hook.
        """
        self._error_handlers.append(callback)
        return callback

    def run(self) -> None:
        """Block and process frames until close() is called or stream ends.

        This method iterates over incoming video frames and invokes all
        registered frame handlers for each frame. Automatically starts
        the session if not already started.

        The session automatically closes when this method exits, whether
        normally or due to an exception, ensuring resources are always
        cleaned up.

        Blocks until either:
        - close() is called (e.g., from a callback)
        - The video stream ends naturally
        - An exception occurs (session auto-closes, exception re-raised)
        - KeyboardInterrupt (Ctrl+C) is received (session auto-closes)

        Data channel handlers are invoked automatically when data arrives,
        independent of this method.

        Example:
            session = client.webrtc.stream(source=source, workflow=workflow)

            @session.on_frame
            def process(frame, metadata):
                print(f"Frame {metadata.frame_id} - PTS: {metadata.pts}")
                cv2.imshow("Frame", frame)
                if cv2.waitKey(1) & 0xFF == ord('q'):
                    session.close()  # Exits run() and cleans up

            session.run()  # Auto-starts, auto-closes, blocks here
        """
        with self:
            if self._model_mode:
                self._run_model_mode()
            else:
                for frame, metadata in self.video():
                    # Invoke all registered frame handlers with both parameters
                    for handler in self._frame_handlers:
                        try:
                            handler(frame, metadata)
                        except Exception:
                            logger.warning("Error in frame handler", exc_info=True)

    def _run_model_mode(self) -> None:
        """Frame loop for model_id (model) mode.

        Consumes the internal (frame, data, metadata) queue and invokes each
        frame handler with ``(frame, data)`` or, for 3-arg handlers,
        ``(frame, data, metadata)`` (arity auto-detected). ``data`` is the raw
        serialized predictions dict passed through verbatim, or None when
        predictions are unavailable for the frame.
        """
        self._ensure_started()
        while True:
            if self._state == SessionState.CLOSED:
                break

            item = self._video_queue.get()
            if item is None:
                break

            frame, data, metadata = item
            for handler in self._frame_handlers:
                try:
                    self._invoke_frame_handler(handler, frame, data, metadata)
                except Exception:
                    logger.warning("Error in frame handler", exc_info=True)

    @staticmethod
    def _invoke_frame_handler(
        handler: Callable,
        frame: np.ndarray,
        data: Optional[dict],
        metadata: Optional[VideoMetadata],
    ) -> None:
        """Invoke a model-mode frame handler with the right arity.

        Supports:
        - handler(frame, data)
        - handler(frame, data, metadata)
        """
        if WebRTCSession._data_handler_length(handler) >= 3:
            handler(frame, data, metadata)
        else:
            handler(frame, data)

    @staticmethod
    @functools.lru_cache(maxsize=100)
    def _data_handler_length(handler: Callable) -> int:
        """Get the number of parameters expected by a data handler.

        Args:
            handler: The handler callable to inspect

        Returns:
            The number of parameters expected by the handler
        """
        sig = inspect.signature(handler)
        return len(sig.parameters)

    def _invoke_data_handler(
        self, handler: Callable, value: Any, metadata: Optional[VideoMetadata]
    ) -> None:  # noqa: ANN401
        """Invoke data handler with appropriate signature (auto-detect via introspection).

        Supports two signatures:
        - handler(value, metadata) - receives both value and metadata
        - handler(value) - receives only value

        Args:
            handler: The handler callable to invoke
            value: The data value to pass
            metadata: Optional video metadata to pass
        """
        try:
            if WebRTCSession._data_handler_length(handler) >= 2:
                # Handler expects both value and metadata
                handler(value, metadata)
            else:
                # Handler expects only value
                handler(value)
        except Exception:
            logger.exception(
                f"Failed to invoke handler {handler}. The handler should have 2 parameters with signature: handler(value, metadata) or handler(value)."
            )
            raise

    @staticmethod
    def _to_list(value: Any) -> List[Any]:
        """Convert value to list if it is not already a list."""
        if isinstance(value, list):
            return value
        return [value]

    def _send_ack(self, frame_id: int, channel: "RTCDataChannel") -> None:
        """Send cumulative ACK for flow control (only when realtime_processing=False)."""
        if self._config.realtime_processing:
            return
        if channel.readyState == "open":
            channel.send(json.dumps({"ack": frame_id}))

    async def _get_turn_config(self) -> Optional[RTCConfiguration]:
        """Get TURN configuration from user-provided config or Roboflow API.

        Priority order:
        1. User-provided config via StreamConfig.turn_server (highest priority)
        2. Auto-fetch from Roboflow API for serverless connections
        3. Return None for non-serverless connections

        Returns:
            TURN configuration dict or None
        """
        turn_config = None
        # 1. Use user-provided config if available
        if self._config.turn_server:
            turn_config = self._config.turn_server
            logger.debug("Using user-provided TURN configuration")

        # 2. Auto-fetch from Roboflow API for Roboflow-hosted connections
        elif self._api_url in ALL_ROBOFLOW_API_URLS:
            try:
                logger.debug(
                    "Fetching TURN config from Roboflow API for serverless connection"
                )
                response = requests.get(
                    f"{RF_API_BASE_URL}/webrtc_turn_config",
                    params={"api_key": self._api_key},
                    timeout=5,
                )
                response.raise_for_status()
                turn_config = response.json()
                logger.debug("Successfully fetched TURN config from Roboflow API")
            except Exception as e:
                logger.warning(f"Failed to fetch TURN config from Roboflow API: {e}")
                return None
        # standardize the TURN config to the iceServers format
        if turn_config and "iceServers" in turn_config:
            turn_config = RTCConfiguration(
                iceServers=[
                    RTCIceServer(
                        urls=WebRTCSession._to_list(server.get("urls", [])),
                        username=server.get("username"),
                        credential=server.get("credential"),
                    )
                    for server in turn_config["iceServers"]
                ]
            )
            logger.debug("Successfully converted TURN config to iceServers format")
        elif turn_config and "urls" in turn_config:
            turn_config = RTCConfiguration(
                iceServers=[
                    RTCIceServer(
                        urls=WebRTCSession._to_list(turn_config["urls"]),
                        username=turn_config["username"],
                        credential=turn_config["credential"],
                    )
                ]
            )
            logger.debug("Successfully converted TURN config to iceServers format")
        return turn_config

    def _pair_track_frame(
        self,
        pts: Optional[int],
        frame: np.ndarray,
        metadata: Optional[VideoMetadata],
    ) -> None:
        """Pair a video-track frame with its predictions by pts (model mode).

        Called from the track reader on the asyncio loop thread. If the matching
        predictions have already arrived, enqueue the paired item immediately;
        otherwise stash the frame until they do. On overflow, evict the oldest
        pending frame with ``data=None`` so frames are never silently lost -
        the predictions dict is passed through verbatim, and its absence is
        represented honestly as None rather than a synthesized empty response
        (whose shape would have to vary per task type).
        """
        if pts is None:
            # No pts to pair on: deliver immediately without predictions.
            self._enqueue((frame, None, metadata))
            return
        matched_pts = self._nearest_pts(pts, self._pending_predictions)
        if matched_pts is not None:
            predictions = self._pending_predictions.pop(matched_pts)
            self._pairing_matched += 1
            self._enqueue((frame, predictions, metadata))
            return
        self._pending_frames[pts] = (frame, metadata)
        self._evict_pending_frames()

    def _pair_track_predictions(self, pts: Optional[int], predictions: dict) -> None:
        """Pair datachannel predictions with a video-track frame by pts.

        Called from the datachannel message handler on the asyncio loop thread.
        If the matching frame is already waiting, enqueue the paired item;
        otherwise stash the predictions dict until the frame arrives.
        """
        if pts is None:
            return
        matched_pts = self._nearest_pts(pts, self._pending_frames)
        if matched_pts is not None:
            frame, metadata = self._pending_frames.pop(matched_pts)
            self._pairing_matched += 1
            self._enqueue((frame, predictions, metadata))
            return
        self._pending_predictions[pts] = predictions
        self._evict_pending_predictions()

    def _nearest_pts(self, pts: int, pending: dict) -> Optional[int]:
        """Find the key in ``pending`` closest to ``pts`` within the pairing
        tolerance, preferring an exact hit. Returns None when nothing is close
        enough. Pending dicts are bounded by ``_pairing_max_size``, so the
        fallback scan is cheap."""
        if pts in pending:
            return pts
        best = None
        best_delta = self._pairing_pts_tolerance + 1
        for candidate in pending:
            delta = abs(candidate - pts)
            if delta < best_delta:
                best = candidate
                best_delta = delta
        return best

    def _evict_pending_frames(self) -> None:
        """Bound the pending-frames dict, flushing evicted frames with data=None."""
        while len(self._pending_frames) > self._pairing_max_size:
            oldest_pts = next(iter(self._pending_frames))
            frame, metadata = self._pending_frames.pop(oldest_pts)
            # Predictions never arrived for this frame - deliver it anyway with
            # data=None so frames are never silently dropped.
            self._pairing_evicted += 1
            self._enqueue((frame, None, metadata))
        # Guard against a silent pts mismatch between the video track and the
        # datachannel metadata: if frames keep getting evicted and NOTHING has
        # ever paired, predictions are arriving but never matching - warn once
        # instead of silently delivering predictionless frames forever.
        if (
            not self._pairing_mismatch_warned
            and self._pairing_matched == 0
            and self._pairing_evicted >= self._pairing_max_size
            and self._pending_predictions
        ):
            self._pairing_mismatch_warned = True
            logger.warning(
                "Frames and predictions are both arriving but none have paired "
                "by pts after %d frames - the server's video-track pts may not "
                "match its datachannel metadata pts. All frames are being "
                "delivered with data=None.",
                self._pairing_evicted,
            )

    def _evict_pending_predictions(self) -> None:
        """Bound the pending-predictions dict, discarding oldest unmatched entries."""
        while len(self._pending_predictions) > self._pairing_max_size:
            oldest_pts = next(iter(self._pending_predictions))
            self._pending_predictions.pop(oldest_pts)

    def _enqueue(self, item: tuple) -> None:
        """Put a queue item, dropping the oldest frame if the queue is full."""
        if self._video_queue.full():
            try:
                self._video_queue.get_nowait()
            except Exception:
                pass
        try:
            self._video_queue.put_nowait(item)
        except Exception:
            pass

    def _handle_datachannel_video_frame(
        self, serialized_data: Any, metadata: Optional[VideoMetadata]
    ) -> None:
        """Handle video frame received through data channel.

        Args:
            serialized_data: The serialized output data containing base64 image
            metadata: Video metadata for the frame
        """
        for output_name in self._config.stream_output:
            if not output_name or output_name not in serialized_data:
                continue
            img_data = serialized_data[output_name]
            if isinstance(img_data, dict) and img_data.get("type") == "base64":
                try:
                    # Decode base64 image and queue it
                    frame = _decode_base64_image(img_data["value"])
                    if self._model_mode:
                        # Predictions live in the SAME message as the image, so
                        # pairing is trivial for the datachannel-video path.
                        # Missing/malformed output -> data=None (verbatim
                        # pass-through contract, no synthesized shapes).
                        predictions = serialized_data.get(self._predictions_output)
                        if not isinstance(predictions, dict):
                            predictions = None
                        self._enqueue((frame, predictions, metadata))
                    else:
                        self._enqueue((frame, metadata))
                except Exception:
                    logger.warning(
                        f"Failed to decode base64 image from {output_name}",
                        exc_info=True,
                    )
                break  # Only process first matching image

    async def _init(self) -> None:
        """Initialize WebRTC connection.

        Sets up peer connection, configures source, negotiates with server.
        """
        # Check dependencies and import them
        _check_webrtc_dependencies()
        from aiortc import (
            RTCConfiguration,
            RTCIceServer,
            RTCPeerConnection,
            RTCSessionDescription,
        )
        from aiortc.contrib.media import MediaRelay
        from av import VideoFrame

        # Fetch TURN configuration (auto-fetch or user-provided)
        turn_config = await self._get_turn_config()

        pc = RTCPeerConnection(configuration=turn_config)
        relay = MediaRelay()

        # Monitor ICE connection state for failures
        # ICE consent expires after ~30s if STUN Binding Indications aren't sent.
        # This happens when event loop is starved (e.g., tight send loops).
        @pc.on("iceconnectionstatechange")
        async def _on_ice_connection_state_change() -> None:
            state = pc.iceConnectionState
            logger.info(f"ICE connection state: {state}")

            if state == "failed":
                logger.error(
                    "ICE connection failed - likely consent expiry. "
                    "This happens when the event loop is blocked and aioice "
                    "cannot send STUN consent refresh packets. Ensure code "
                    "yields to event loop (asyncio.sleep(0)) during long operations."
                )
                # Signal session to close
                try:
                    self._video_queue.put_nowait(None)
                except Exception:
                    pass
            elif state == "closed":
                logger.info("ICE connection closed - signaling end of stream")
                try:
                    self._video_queue.put_nowait(None)
                except Exception:
                    pass
            elif state == "disconnected":
                logger.warning(
                    "ICE connection disconnected - may recover automatically. "
                    "If this persists, connection will transition to 'failed'."
                )

        @pc.on("connectionstatechange")
        async def _on_connection_state_change() -> None:
            state = pc.connectionState
            logger.info(f"Connection state: {state}")
            if state in ("failed", "closed"):
                if state == "failed":
                    logger.error("Connection failed - closing session")
                else:
                    logger.info("Connection closed - signaling end of stream")
                try:
                    self._video_queue.put_nowait(None)
                except Exception:
                    pass

        # Setup video receiver for frames from server
        @pc.on("track")
        def _on_track(track):  # noqa: ANN001
            subscribed = relay.subscribe(track)

            async def _reader():
                from aiortc.mediastreams import MediaStreamError

                while True:
                    try:
                        f: VideoFrame = await subscribed.recv()
                    except MediaStreamError:
                        # Remote stream finished normally
                        logger.info("Remote stream finished")
                        try:
                            self._video_queue.put_nowait(None)
                        except Exception:
                            pass
                        break
                    except Exception as e:
                        # Connection closed or track ended unexpectedly
                        logger.error(
                            f"WebRTC video track ended: {e.__class__.__name__}: {e}",
                            exc_info=True,
                        )
                        try:
                            self._video_queue.put_nowait(None)
                        except Exception:
                            pass
                        break
                    img = f.to_ndarray(format="bgr24")
                    current_metadata = VideoMetadata(
                        frame_id=f.pts,
                        received_at=datetime.now(),
                        pts=f.pts,
                        time_base=f.time_base,
                        declared_fps=None,
                        measured_fps=None,
                    )
                    if self._model_mode:
                        # Pair the track frame with datachannel predictions by
                        # pts (both run on this loop thread).
                        self._pair_track_frame(f.pts, img, current_metadata)
                    else:
                        # Backpressure: drop oldest frame if queue full
                        self._enqueue((img, current_metadata))

            asyncio.ensure_future(_reader())

        # Setup data channel
        ch = pc.createDataChannel("inference")

        # Setup data channel message handler
        @ch.on("message")
        def _on_data_message(message: Any) -> None:  # noqa: ANN401
            try:
                # Handle both bytes and str messages
                if isinstance(message, bytes):
                    # Check if it's a chunked binary message
                    if len(message) >= 12:
                        try:
                            # Try to reassemble chunks
                            complete_payload, _ = self._chunk_reassembler.add_chunk(
                                message
                            )
                            if complete_payload is None:
                                # Not all chunks received yet
                                return
                            # Server may send gzip-compressed JSON when data_output is set
                            # Gzip magic bytes: \x1f\x8b
                            if (
                                len(complete_payload) >= 2
                                and complete_payload[:2] == b"\x1f\x8b"
                            ):
                                complete_payload = gzip.decompress(complete_payload)
                            # Parse the complete JSON from reassembled payload
                            message = complete_payload.decode("utf-8")
                        except (struct.error, ValueError):
                            # Not a chunked message, try to decode as regular UTF-8
                            message = message.decode("utf-8")
                    else:
                        # Too short to be chunked, decode as regular UTF-8
                        message = message.decode("utf-8")

                parsed_message = json.loads(message)

                # Handle processing_complete signal (video file finished)
                if parsed_message.get("processing_complete"):
                    logger.info("Received processing_complete signal")
                    try:
                        self._video_queue.put_nowait(None)
                    except Exception:
                        pass
                    return

                # Extract video metadata if present (for data handlers).
                # Errors are merged into the metadata so any handler can read
                # `metadata.errors`; dedicated `@on_error` handlers fire below.
                errors = parsed_message.get("errors") or []
                metadata = self._parse_video_metadata(
                    parsed_message.get("video_metadata"),
                    errors=errors,
                )

                # Dispatch per-frame error handlers (only when errors present)
                if errors and self._error_handlers:
                    for handler in list(self._error_handlers):
                        try:
                            self._invoke_data_handler(handler, errors, metadata)
                        except Exception:
                            logger.warning(
                                "Error calling on_error handler", exc_info=True
                            )

                # Get serialized output data
                serialized_data = parsed_message.get("serialized_output_data")

                # Check for base64 image in stream_output fields (for VideoFileSource)
                # This enables receiving frames via data channel instead of video track
                if serialized_data and self._video_through_datachannel:
                    self._handle_datachannel_video_frame(serialized_data, metadata)
                elif self._model_mode:
                    # Video-track path (webcam/RTSP): the image arrives on the
                    # video track; pair its raw predictions dict here by pts.
                    predictions = None
                    if isinstance(serialized_data, dict):
                        predictions = serialized_data.get(self._predictions_output)
                    # Only pair when we actually received a predictions dict.
                    # If missing/unparseable, the frame stays pending and is
                    # eventually flushed with predictions synthesized from its
                    # own shape (so data is always an inference-shaped dict).
                    if isinstance(predictions, dict):
                        self._pair_track_predictions(
                            metadata.pts if metadata else None, predictions
                        )

                # Call global handler if registered
                if self._data_global_handler:
                    try:
                        # filter out video frames if video is sent through datachannel
                        filtered_data = serialized_data
                        if self._video_through_datachannel and serialized_data:
                            filtered_data = {
                                k: v
                                for k, v in serialized_data.items()
                                if k not in self._config.stream_output
                            }
                        self._invoke_data_handler(
                            self._data_global_handler, filtered_data, metadata
                        )
                    except Exception:
                        logger.warning(
                            "Error calling global data handler", exc_info=True
                        )

                # Route to field-specific handlers
                if isinstance(serialized_data, dict):
                    for field_name, field_value in serialized_data.items():
                        if field_name in self._data_field_handlers:
                            for handler in list(self._data_field_handlers[field_name]):
                                try:
                                    self._invoke_data_handler(
                                        handler, field_value, metadata
                                    )
                                except Exception:
                                    logger.warning(
                                        f"Error calling handler for field '{field_name}'",
                                        exc_info=True,
                                    )

                # Send ACK for flow control (only when realtime_processing=False)
                if metadata and metadata.frame_id is not None:
                    self._send_ack(metadata.frame_id, ch)
            except json.JSONDecodeError:
                logger.warning("Failed to parse data channel message as JSON")

        # Let source configure the peer connection
        # (adds tracks for webcam/video/manual, or recvonly transceiver for RTSP)
        await self._source.configure_peer_connection(pc)

        # Create offer and wait for ICE gathering
        offer = await pc.createOffer()
        await pc.setLocalDescription(offer)

        # Wait for ICE gathering to complete
        while pc.iceGatheringState != "complete":
            await asyncio.sleep(0.1)

        # Build server initialization payload
        wf_conf: Dict[str, Any] = {
            "type": "WorkflowConfiguration",
            "image_input_name": self._image_input_name,
            "workflows_parameters": self._config.workflow_parameters,
        }
        wf_conf.update(self._workflow_config)

        payload = {}
        if self._api_key_transport != "header":
            payload["api_key"] = self._api_key
        payload.update(
            {
                "workflow_configuration": wf_conf,
                "webrtc_offer": {
                    "type": pc.localDescription.type,
                    "sdp": pc.localDescription.sdp,
                },
                "webrtc_realtime_processing": self._config.realtime_processing,
                "stream_output": self._config.stream_output,
                "data_output": self._config.data_output,
            }
        )

        # Add WebRTC config if available (auto-fetched or user-provided)
        # Server accepts webrtc_config with iceServers array format
        if turn_config:
            payload["webrtc_config"] = {
                "iceServers": [
                    {
                        "urls": ice_server.urls,
                        "username": ice_server.username,
                        "credential": ice_server.credential,
                    }
                    for ice_server in turn_config.iceServers
                ]
            }

        # Add FPS if provided
        if self._config.declared_fps:
            payload["declared_fps"] = self._config.declared_fps

        # Add serverless-specific parameters
        if self._config.requested_plan is not None:
            payload["requested_plan"] = self._config.requested_plan

        if self._config.requested_region is not None:
            payload["requested_region"] = self._config.requested_region

        if self._config.processing_timeout is not None:
            payload["processing_timeout"] = self._config.processing_timeout

        # Merge source-specific parameters
        # (rtsp_url for RTSP, declared_fps for webcam, stream_output/data_output overrides for VideoFile)
        payload.update(self._source.get_initialization_params(self._config))
        # Check if video is will be sent through datachannel instead of video track
        self._video_through_datachannel = bool(
            self._config.stream_output and not payload.get("stream_output")
        )

        # Call server to initialize worker
        url = f"{self._api_url}/initialise_webrtc_worker"
        headers = {"Content-Type": "application/json"}
        if self._api_key_transport != "legacy" and self._api_key is not None:
            headers["Authorization"] = f"Bearer {self._api_key}"
        resp = requests.post(url, json=payload, headers=headers, timeout=90)
        resp.raise_for_status()
        ans: Dict[str, Any] = resp.json()

        # Set remote description
        answer = RTCSessionDescription(sdp=ans["sdp"], type=ans["type"])
        await pc.setRemoteDescription(answer)

        # Start video file upload if applicable
        if isinstance(self._source, VideoFileSource):
            asyncio.ensure_future(self._source.start_upload())

        self._pc = pc
