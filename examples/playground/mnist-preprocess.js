// A drawing made the way MNIST digits were (LeCun et al.): the ink's bounding box scaled, keeping
// its aspect ratio, to fit a 20x20 box (anti-aliased), then placed in 28x28 so that its centre of mass
// is the image's centre. The strokes are redrawn at that scale with a fixed pen width, so a digit
// drawn large or small, thick or thin, comes out with MNIST's stroke width (about 2.5 px).

const SIZE = 28,
  BOX = 20,
  PEN = 2.6;

function render(ctx, strokes, scale, dx, dy) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, SIZE, SIZE);
  ctx.setTransform(scale, 0, 0, scale, dx, dy);
  Object.assign(ctx, { strokeStyle: '#fff', lineWidth: PEN / scale, lineCap: 'round', lineJoin: 'round' });
  for (const stroke of strokes) {
    ctx.beginPath();
    ctx.moveTo(...stroke[0]);
    for (const p of stroke.length > 1 ? stroke.slice(1) : stroke) ctx.lineTo(...p);
    ctx.stroke();
  }
  const px = ctx.getImageData(0, 0, SIZE, SIZE).data;
  return Float32Array.from({ length: SIZE * SIZE }, (_, i) => px[4 * i] / 255);
}

/** The strokes ([[x, y], …] per stroke, any units) as 784 values in [0, 1], or null if there are none. */
export function mnistPixels(strokes) {
  const points = strokes.flat();
  if (points.length === 0) return null;
  const xs = points.map((p) => p[0]),
    ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // The pen adds PEN px around the centre lines: the ink's box, not the lines', is what fits in 20x20.
  const extent = Math.max(x1 - x0, y1 - y0),
    scale = extent > 0 ? (BOX - PEN) / extent : 1;
  const ctx = new OffscreenCanvas(SIZE, SIZE).getContext('2d', { willReadFrequently: true });
  // Centre the box first, then move the centre of mass to (14, 14).
  let dx = SIZE / 2 - ((x0 + x1) / 2) * scale,
    dy = SIZE / 2 - ((y0 + y1) / 2) * scale;
  const first = render(ctx, strokes, scale, dx, dy);
  let mass = 0,
    mx = 0,
    my = 0;
  first.forEach((v, i) => {
    mass += v;
    mx += v * ((i % SIZE) + 0.5);
    my += v * (Math.floor(i / SIZE) + 0.5);
  });
  if (mass === 0) return first;
  dx += SIZE / 2 - mx / mass;
  dy += SIZE / 2 - my / mass;
  return render(ctx, strokes, scale, dx, dy);
}
