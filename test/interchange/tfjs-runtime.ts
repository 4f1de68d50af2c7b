// TensorFlow.js (pure JS, CPU backend) as the reference runtime for layers models.
import * as tf from '@tensorflow/tfjs';
import type { LayersModelJSON } from 'backprop-wasm/tfjs';

await tf.setBackend('cpu');
export { tf };

/** Loads model.json content and weight bytes the way tf.loadLayersModel reads a model.json file. */
export async function loadTf(modelJSON: LayersModelJSON | object, weightData: ArrayBuffer): Promise<tf.LayersModel> {
  const json = JSON.parse(JSON.stringify(modelJSON)) as tf.io.ModelJSON;
  return tf.loadLayersModel({
    load: () =>
      tf.io.getModelArtifactsForJSON(json, async (manifest) => [manifest.flatMap((g) => g.weights), weightData]),
  });
}

/** tfjs predictions for rows of `cols` features. */
export function predictTf(model: tf.LayersModel, x: ArrayLike<number>, cols: number): Float32Array {
  return tf.tidy(
    () =>
      (
        model.predict(tf.tensor2d(Float32Array.from(x), [x.length / cols, cols])) as tf.Tensor
      ).dataSync() as Float32Array,
  );
}

/** What model.save() hands a save handler, and the model.json a file handler would write for it. */
export async function saveTf(model: tf.LayersModel): Promise<{ modelJSON: tf.io.ModelJSON; weightData: ArrayBuffer }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const weightData = artifacts!.weightData as ArrayBuffer;
  // As tfjs-core's io_utils.getModelJSONForModelArtifacts (not exported) builds it for file handlers.
  const { modelTopology, format, generatedBy, convertedBy, weightSpecs } = artifacts!;
  const modelJSON = {
    modelTopology: modelTopology as object,
    format,
    generatedBy,
    convertedBy,
    weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs! }],
  } as tf.io.ModelJSON;
  return { modelJSON, weightData };
}
