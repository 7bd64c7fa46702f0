import { useCallback, useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { RuleRecord } from "../bindings/RuleRecord";
import type { RuleSpec } from "../bindings/RuleSpec";
import { removeRule, sortRules, upsertRule } from "./rules";
import { useUiEvent } from "./useUiEvent";

export interface RulesState {
  rules: RuleRecord[];
  loadError: ApiError | null;
  actionError: ApiError | null;
  /** Resolves with the stored rule; rejects with an ApiError (e.g. invalid_rule). */
  create: (spec: RuleSpec) => Promise<RuleRecord>;
  /** Resolves with the stored rule; rejects with an ApiError. */
  update: (id: number, spec: RuleSpec) => Promise<RuleRecord>;
  setEnabled: (id: number, enabled: boolean) => void;
  remove: (id: number) => void;
  duplicate: (id: number) => void;
  /** Resolves with the imported rules; rejects with an ApiError (nothing imported). */
  importJson: (json: string) => Promise<RuleRecord[]>;
  exportJson: () => Promise<string>;
}

export function useRules(): RulesState {
  const [rules, setRules] = useState<RuleRecord[]>([]);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);

  useUiEvent((e) => {
    if (e.kind === "rulesChanged") setVersion((v) => v + 1);
  });

  useEffect(() => {
    let active = true;
    api.listRules().then(
      (list) => {
        if (!active) return;
        setRules(sortRules(list));
        setLoadError(null);
      },
      (e: unknown) => {
        if (active) setLoadError(e as ApiError);
      },
    );
    return () => {
      active = false;
    };
  }, [version]);

  const create = useCallback(async (spec: RuleSpec) => {
    const rec = await api.createRule(spec);
    setRules((list) => upsertRule(list, rec));
    return rec;
  }, []);

  const update = useCallback(async (id: number, spec: RuleSpec) => {
    const rec = await api.updateRule(id, spec);
    setRules((list) => upsertRule(list, rec));
    return rec;
  }, []);

  const duplicate = useCallback((id: number) => {
    setActionError(null);
    api.duplicateRule(id).then(
      (rec) => {
        setRules((list) => upsertRule(list, rec));
      },
      (e: unknown) => {
        setActionError(e as ApiError);
      },
    );
  }, []);

  const importJson = useCallback(async (json: string) => {
    const recs = await api.importRules(json);
    setRules((list) => recs.reduce(upsertRule, list));
    return recs;
  }, []);

  const exportJson = useCallback(() => api.exportRules(), []);

  const setEnabled = useCallback((id: number, enabled: boolean) => {
    setActionError(null);
    api.setRuleEnabled(id, enabled).then(
      (rec) => {
        setRules((list) => upsertRule(list, rec));
      },
      (e: unknown) => {
        setActionError(e as ApiError);
      },
    );
  }, []);

  const remove = useCallback((id: number) => {
    setActionError(null);
    api.deleteRule(id).then(
      () => {
        setRules((list) => removeRule(list, id));
      },
      (e: unknown) => {
        setActionError(e as ApiError);
      },
    );
  }, []);

  return { rules, loadError, actionError, create, update, setEnabled, remove, duplicate, importJson, exportJson };
}
