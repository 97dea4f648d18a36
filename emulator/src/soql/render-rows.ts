import type { Statement } from 'better-sqlite3';
import type { Org } from '../org';
import type { ChildPlan, RecordPlan } from './compile';
import { compileRenderer, type ChildJson, type RecordShape, type RowRenderer } from './shape';

export const urlBaseOf = (apiVersion: string): string => `/services/data/v${apiVersion}/sobjects/`;

const childStatements = new WeakMap<ChildPlan, Statement>();
const renderers = new WeakMap<RecordShape, Map<string, RowRenderer>>();

function rendererFor(shape: RecordShape, apiVersion: string): RowRenderer {
  let byVersion = renderers.get(shape);
  if (!byVersion) renderers.set(shape, (byVersion = new Map()));
  let render = byVersion.get(apiVersion);
  if (!render) byVersion.set(apiVersion, (render = compileRenderer(shape, urlBaseOf(apiVersion))));
  return render;
}

const NO_CHILDREN: ChildJson = () => 'null';

/**
 * Renders a page of rows as a JSON array. Child subqueries run first, once each for all the
 * page's parent ids, so every parent's children are ready when its row is written.
 */
export function renderRows(org: Org, plan: RecordPlan, rows: unknown[][], apiVersion: string): string {
  if (rows.length === 0) return '[]';
  let children = NO_CHILDREN;
  if (plan.children.length) {
    const idsJson = JSON.stringify(rows.map((r) => r[plan.shape.idCol]));
    const rendered = plan.children.map((child) => {
      let stmt = childStatements.get(child);
      if (!stmt) childStatements.set(child, (stmt = org.db.prepare(child.sql).raw(true)));
      const render = rendererFor(child.shape, apiVersion);
      const byParent = new Map<string, string[]>();
      for (const row of stmt.all(idsJson, ...child.params) as unknown[][]) {
        const parentId = row[child.parentCol] as string;
        let list = byParent.get(parentId);
        if (!list) byParent.set(parentId, (list = []));
        list.push(render(row, NO_CHILDREN));
      }
      return byParent;
    });
    children = (index, parentId) => {
      const list = rendered[index].get(parentId);
      return list ? `{"totalSize":${list.length},"done":true,"records":[${list.join(',')}]}` : 'null';
    };
  }
  const render = rendererFor(plan.shape, apiVersion);
  const out = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = render(rows[i], children);
  return '[' + out.join(',') + ']';
}
