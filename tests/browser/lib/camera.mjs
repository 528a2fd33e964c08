// A barcode reader for Debian's headless Chromium, which has neither a camera
// nor a BarcodeDetector: Chromium's own fake camera (a moving test pattern)
// stands in for the lens, and a BarcodeDetector stand-in "sees" a barcode
// only once the test holds one up and only in a video that is really playing
// that camera's stream. The app's own code runs unchanged: it asks for the
// formats, calls getUserMedia, plays the stream and loops detect().

/** Chromium flags: a fake camera, and no permission prompt for it. */
export const CAMERA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/**
 * An init script (context.addInitScript(scanner, {noCamera})): installs
 * window.BarcodeDetector and keeps what the page did in window.__scan
 * (formats asked for, detect calls, calls on a playing camera, streams
 * opened). With noCamera, getUserMedia rejects as when the camera is refused.
 */
export function scanner({ noCamera = false } = {}) {
  const scan = { held: '', formats: null, detects: 0, onCamera: 0, streams: [] };
  window.__scan = scan;

  // A video element playing a camera stream that is still live.
  const playingCamera = (source) => {
    const stream = source && source.srcObject;
    return stream instanceof MediaStream
      && stream.getVideoTracks().some((track) => track.readyState === 'live')
      && scan.streams.includes(stream)
      && source.readyState >= 2 && !source.paused && source.videoWidth > 0;
  };

  window.BarcodeDetector = class BarcodeDetector {
    constructor({ formats = [] } = {}) {
      this.formats = formats;
      scan.formats = formats;
    }

    static async getSupportedFormats() {
      return ['ean_13', 'ean_8', 'upc_a', 'upc_e', 'code_128', 'qr_code'];
    }

    async detect(source) {
      scan.detects += 1;
      if (!playingCamera(source)) return [];
      scan.onCamera += 1;
      if (!scan.held || !this.formats.includes('ean_13')) return [];
      return [{ rawValue: scan.held, format: 'ean_13', boundingBox: new DOMRectReadOnly(40, 60, 240, 120), cornerPoints: [] }];
    }
  };

  const media = navigator.mediaDevices;
  const getUserMedia = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints) => {
    if (noCamera) throw new DOMException('Permission denied', 'NotAllowedError');
    const stream = await getUserMedia(constraints);
    scan.streams.push(stream);
    return stream;
  };
}

/** Holds a barcode in front of the page's camera. */
export function holdUp(page, code) {
  return page.evaluate((c) => { window.__scan.held = c; }, code);
}

/** What the page did with the camera and the detector so far. */
export function scanState(page) {
  return page.evaluate(() => {
    const s = window.__scan;
    return {
      formats: s.formats,
      detects: s.detects,
      onCamera: s.onCamera,
      streams: s.streams.length,
      live: s.streams.flatMap((st) => st.getTracks()).filter((tr) => tr.readyState === 'live').length,
    };
  });
}
