import { describe, expect, it } from "vitest";
import { alert } from "../test/fixtures";
import { ALERT_CAP, mergeAlerts, prependAlert } from "./alerts";

describe("alert list", () => {
  it("puts a live alert on top", () => {
    const list = [alert(2, 2000), alert(1, 1000)];
    expect(prependAlert(list, alert(3, 3000)).map((a) => a.id)).toEqual([3, 2, 1]);
  });

  it("does not list the same alert twice", () => {
    const list = [alert(2, 2000), alert(1, 1000)];
    expect(prependAlert(list, alert(2, 2000))).toHaveLength(2);
    const unsaved = alert(0, 5000);
    const once = prependAlert(list, unsaved);
    expect(prependAlert(once, { ...unsaved })).toHaveLength(3);
  });

  it("keeps at most the cap, dropping the oldest", () => {
    let list = Array.from({ length: ALERT_CAP }, (_, i) => alert(i + 1, (i + 1) * 1000)).reverse();
    list = prependAlert(list, alert(ALERT_CAP + 1, (ALERT_CAP + 1) * 1000));
    expect(list).toHaveLength(ALERT_CAP);
    expect(list[0]?.id).toBe(ALERT_CAP + 1);
    expect(list.some((a) => a.id === 1)).toBe(false);
  });

  it("merges history with alerts that arrived while it loaded", () => {
    const live = [alert(5, 5000), alert(4, 4000)];
    const history = [alert(4, 4000), alert(3, 3000), alert(1, 1000)];
    expect(mergeAlerts(live, history).map((a) => a.id)).toEqual([5, 4, 3, 1]);
    expect(mergeAlerts(live, history, 2).map((a) => a.id)).toEqual([5, 4]);
  });
});
