/**
 * Every panel of every view: a title, then its content, or a plain-language state when there is
 * nothing to show: loading, an error (with what to do), or empty (with why, and when it fills).
 */
import type { ComponentChildren } from 'preact';
import { plainLanguage } from '../api/problem';
import type { Resource } from '../hooks/use-resource';

export interface PanelProps<T> {
  readonly title: string;
  /** A short line under the title: what the panel shows. */
  readonly subtitle?: string;
  readonly resource?: Resource<T>;
  /** True when the loaded data has nothing to show. */
  readonly isEmpty?: (data: T) => boolean;
  /** What the empty panel says: why it is empty and when it will fill. */
  readonly empty?: string;
  readonly actions?: ComponentChildren;
  readonly wide?: boolean;
  readonly testId?: string;
  readonly children: (data: T) => ComponentChildren;
}

export function Panel<T>(props: PanelProps<T>) {
  const { resource } = props;
  let body: ComponentChildren;
  if (resource === undefined) body = props.children(undefined as T);
  else if (resource.data === undefined && resource.error !== undefined)
    body = <ErrorNotice error={resource.error} />;
  else if (resource.data === undefined)
    body = (
      <p class="panel-state" role="status">
        Loading…
      </p>
    );
  else if (props.isEmpty?.(resource.data) === true)
    body = <EmptyState text={props.empty ?? 'Nothing to show yet.'} />;
  else
    body = (
      <>
        {resource.error !== undefined && <ErrorNotice error={resource.error} compact />}
        {props.children(resource.data)}
      </>
    );
  return (
    <section class={props.wide === true ? 'panel panel-wide' : 'panel'} data-testid={props.testId}>
      <header class="panel-header">
        <div>
          <h2>{props.title}</h2>
          {props.subtitle !== undefined && <p class="panel-subtitle">{props.subtitle}</p>}
        </div>
        {props.actions !== undefined && <div class="panel-actions">{props.actions}</div>}
      </header>
      <div class="panel-body">{body}</div>
    </section>
  );
}

export function ErrorNotice({ error, compact = false }: { error: unknown; compact?: boolean }) {
  const { message, action, code } = plainLanguage(error);
  return (
    <div class={compact ? 'notice notice-error notice-compact' : 'notice notice-error'} role="alert">
      <strong>{message}</strong>
      {action !== undefined && <span> {action}</span>}
      {code !== undefined && <code class="notice-code">{code}</code>}
    </div>
  );
}

export function EmptyState({ text }: { text: string }) {
  return (
    <p class="panel-state panel-empty" data-testid="empty-state">
      {text}
    </p>
  );
}

/** One headline number with its label. */
export function Stat(props: {
  label: string;
  value: string;
  detail?: string;
  testId?: string;
  tone?: 'good' | 'bad';
}) {
  return (
    <div class={`stat${props.tone === undefined ? '' : ` stat-${props.tone}`}`} data-testid={props.testId}>
      <span class="stat-label">{props.label}</span>
      <span class="stat-value">{props.value}</span>
      {props.detail !== undefined && <span class="stat-detail">{props.detail}</span>}
    </div>
  );
}
