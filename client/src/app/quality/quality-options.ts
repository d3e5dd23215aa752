// The editor's controls for a quality view: subgroups, the baseline of the limits, run rules,
// Top N and spec limits, each shown for the chart types it applies to.
import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, output } from '@angular/core';
import type { ViewSpec } from '../../../../pipeline/view-spec';
import { DEFAULT_SUBGROUP_SIZE, P_CHART_SUBGROUPS, resolveQuality, type QualityOptions } from '../../../../pipeline/quality/quality-spec';
import { RUN_RULE_LABELS, RUN_RULES, type RunRule } from '../../../../pipeline/quality/run-rules';
import { fromZonedInput, toZonedInput } from '../../../../pipeline/time-zone';
import { TimeZoneService } from '../settings/time-zone.service';

@Component({
  selector: 'ml-quality-options',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './quality-options.html',
  styleUrl: './quality-options.css',
})
export class QualityOptionsEditor {
  readonly spec = input.required<ViewSpec>();
  /** Not named `change`: the inputs' native change events bubble to the host and would be taken for it. */
  readonly optionsChange = output<QualityOptions>();

  protected readonly zone = inject(TimeZoneService).zone;
  protected readonly rules = RUN_RULES;
  protected readonly ruleLabels = RUN_RULE_LABELS;
  protected readonly subgroupChoices = P_CHART_SUBGROUPS;
  /**
   * The options as last changed here: two controls can change before the parent's new spec comes
   * back through the input (a typed size commits as focus moves to a run rule), and the second must
   * build on the first. Follows the input whenever that changes.
   */
  protected readonly options = linkedSignal(() => this.spec().quality ?? {});
  protected readonly resolved = computed(() => resolveQuality({ ...this.spec(), quality: this.options() }));
  protected readonly chart = computed(() => this.spec().chart);
  protected readonly controlChart = computed(() => ['xbar_r', 'imr', 'p_chart'].includes(this.chart()));
  protected readonly usesSubgroupSize = computed(() => this.chart() === 'xbar_r' || (this.chart() === 'p_chart' && this.resolved().subgroupBy === 'parts'));
  protected readonly defaultSize = DEFAULT_SUBGROUP_SIZE;

  private set(change: Partial<QualityOptions>): void {
    const next: QualityOptions = { ...this.options(), ...change };
    for (const key of Object.keys(next) as (keyof QualityOptions)[]) if (next[key] === undefined) delete next[key];
    this.options.set(next);
    this.optionsChange.emit(next);
  }

  /** What was typed goes into the spec as it is (2.5 parts too), so the editor can say what is wrong with it. */
  protected setNumber(key: 'subgroupSize' | 'topN' | 'lsl' | 'usl' | 'target', text: string): void {
    const value = Number(text);
    this.set({ [key]: text === '' || !Number.isFinite(value) ? undefined : value });
  }

  protected setSubgroupBy(value: string): void {
    this.set({ subgroupBy: value as QualityOptions['subgroupBy'] });
  }

  /** The baseline is entered and shown in the dashboard's time zone, like the editor's filters. */
  protected setBaseline(which: 'baselineFrom' | 'baselineTo', value: string): void {
    this.set({ [which]: fromZonedInput(this.zone(), value) });
  }

  protected localTime(which: 'baselineFrom' | 'baselineTo'): string {
    return toZonedInput(this.zone(), this.options()[which]);
  }

  protected toggleRule(rule: RunRule, on: boolean): void {
    const rules = new Set(this.resolved().rules);
    if (on) rules.add(rule);
    else rules.delete(rule);
    this.set({ rules: [...rules].sort() });
  }
}
