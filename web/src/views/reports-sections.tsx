/**
 * A run's evaluation sections (M&V baselines, treatment vs control, forecast scores) from kpis.json or
 * comparison.json, shown with a generic JSON view: tables for lists of records, labelled fields for
 * records.
 */
import { jsonView, type JsonView } from '../reports/json-view';
import { sectionsOf, sectionTitle } from '../reports/role-kpis';

export function ReportSections({ sections, heading }: { sections: unknown; heading?: string }) {
  const entries = sectionsOf(sections);
  if (entries.length === 0) return null;
  return (
    <div class="run-sections" data-testid="run-sections">
      {heading !== undefined && <h3>{heading}</h3>}
      {entries.map(([id, content]) => (
        <section key={id} data-testid="run-section" data-section-id={id}>
          <h4>{sectionTitle(id)}</h4>
          <JsonBlock view={jsonView(content)} />
        </section>
      ))}
    </div>
  );
}

function JsonBlock({ view }: { view: JsonView }) {
  switch (view.kind) {
    case 'text':
      return <span>{view.text}</span>;
    case 'table':
      return (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                {view.columns.map((column) => (
                  <th key={column}>{column}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((text, c) => (
                    <td key={c}>{text}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'fields':
      return (
        <dl class="json-fields">
          {view.fields.map((field) => (
            <div key={field.key}>
              <dt>{field.key}</dt>
              <dd>
                <JsonBlock view={field.view} />
              </dd>
            </div>
          ))}
        </dl>
      );
    case 'list':
      return (
        <ol>
          {view.items.map((item, i) => (
            <li key={i}>
              <JsonBlock view={item} />
            </li>
          ))}
        </ol>
      );
  }
}
