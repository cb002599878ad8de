/**
 * The parameter count of each branch of each Inception module in a model: where GoogLeNet's 1x1
 * reductions put the parameters (Szegedy et al. 2015). Reads the layer names that
 * {@link inceptionModule} gives (`<module>_1x1`, `<module>_3x3_reduce`, ...).
 * @see notebooks/q18-inception-module.ipynb
 */
import type * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { INCEPTION_BRANCHES, inceptionBranchOf, type InceptionBranch, type inceptionModule } from '../layers/inception';
import { checkModel } from './check-model';

/** Parameters of one branch of one module, a row of {@link inceptionBranchParams}. */
export interface InceptionBranchParams {
  module: string;
  branch: InceptionBranch;
  params: number;
}

/**
 * Parameters per module and branch of every Inception module in a model built with
 * {@link inceptionModule} (reductions and projections count towards their branch), in model order.
 * @throws ArgError when model is not a tf.LayersModel or has no Inception module
 * @example inceptionBranchParams(miniGoogLeNet())[0]   // { module: 'inception3a', branch: '1x1', params: 4160 }
 * @see notebooks/q18-inception-module.ipynb
 */
export function inceptionBranchParams(model: tf.LayersModel): InceptionBranchParams[] {
  const fn = 'inceptionBranchParams';
  checkModel(fn, model);
  const rows = new Map<string, InceptionBranchParams>();
  const modules: string[] = [];
  for (const layer of model.layers) {
    const where = inceptionBranchOf(layer.name);
    if (!where) continue;
    if (!modules.includes(where.module)) {
      modules.push(where.module);
      for (const branch of INCEPTION_BRANCHES) rows.set(`${where.module}/${branch}`, { module: where.module, branch, params: 0 });
    }
    rows.get(`${where.module}/${where.branch}`)!.params += layer.countParams();
  }
  if (modules.length === 0) argError(fn, 'model', 'must contain an Inception module (layers named <module>_1x1, ...)', model.name);
  return [...rows.values()];
}
