// The decision boundary: the network's output over a grid of the plane, drawn as colour, with the
// data points on top. Inputs live in [-1.2, 1.2]^2.
const GRID = 90;
const EXTENT = 1.2;

/** Grid points as one Float32Array (GRID^2 x 2), built once. */
const grid = (() => {
  const g = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++)
    for (let c = 0; c < GRID; c++) {
      g[2 * (r * GRID + c)] = -EXTENT + (2 * EXTENT * (c + 0.5)) / GRID;
      g[2 * (r * GRID + c) + 1] = EXTENT - (2 * EXTENT * (r + 0.5)) / GRID;
    }
  return g;
})();
const out = new Float32Array(GRID * GRID);

// Probability of class 1 to a colour between blue (0) and orange (1).
function colour(p) {
  const a = [52, 101, 164],
    b = [243, 156, 18],
    t = Math.min(1, Math.max(0, p));
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t));
}

export function drawBoundary(canvas, net, data) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  if (net) {
    net.predict(grid, { out });
    const image = ctx.createImageData(GRID, GRID);
    for (let i = 0; i < GRID * GRID; i++) {
      const [r, g, b] = colour(out[i]);
      image.data.set([r, g, b, 110], 4 * i);
    }
    const tmp = new OffscreenCanvas(GRID, GRID);
    tmp.getContext('2d').putImageData(image, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(tmp, 0, 0, width, height);
  } else {
    ctx.clearRect(0, 0, width, height);
  }
  for (let i = 0; i < data.y.length; i++) {
    const x = ((data.x[2 * i] + EXTENT) / (2 * EXTENT)) * width,
      y = ((EXTENT - data.x[2 * i + 1]) / (2 * EXTENT)) * height;
    ctx.beginPath();
    ctx.arc(x, y, 3, 0, 2 * Math.PI);
    ctx.fillStyle = data.y[i] > 0.5 ? '#e67e00' : '#1f4e96';
    ctx.fill();
    ctx.strokeStyle = '#fff';
    ctx.stroke();
  }
}
