import { schemeTableau10 } from 'd3-scale-chromatic';

/** Categorical colours for line series (Tableau 10 from d3-scale-chromatic). */
export function seriesColor(index: number): string {
  return schemeTableau10[index % schemeTableau10.length] ?? '#333';
}
