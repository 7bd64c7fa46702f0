// The Markets view's strings for history paging, alert markers, draggable rule lines, time
// zones and the watchlist's extra columns, merged into the main tables in messages.ts. Same keys
// in both languages; the dictionaries test checks it.

export const marketEn = {
  "chart.timeZone": "Times in {zone} (the exchange's time zone)",
  "chart.olderError": "Could not load older bars. {message}",
  "chart.moreAlerts": "+{count} more",
  "chart.dragHint": "Drag a dashed rule line to change its price",
  "chart.moveLine": "Move “{rule}” from {from} to {to}?",
  "chart.moveSave": "Save",
  "chart.moveCancel": "Cancel",
  "chart.moveSaving": "Saving…",
  "chart.moveDone": "“{rule}” now at {price}.",
  "chart.moveError": "The rule was not changed. {message}",
  "watchlist.rvol": "RVol",
  "watchlist.rvolTitle": "Relative volume: {value} the usual volume at this time of day",
  "watchlist.trend": "Trend",
  "wl.sortRvol": "Relative volume",
} as const;

export const marketZh: Record<keyof typeof marketEn, string> = {
  "chart.timeZone": "时间为 {zone}（交易所时区）",
  "chart.olderError": "无法加载更早的K线。{message}",
  "chart.moreAlerts": "另有 {count} 条",
  "chart.dragHint": "拖动规则的虚线可修改价位",
  "chart.moveLine": "将“{rule}”从 {from} 改为 {to}？",
  "chart.moveSave": "保存",
  "chart.moveCancel": "取消",
  "chart.moveSaving": "正在保存…",
  "chart.moveDone": "“{rule}”已改为 {price}。",
  "chart.moveError": "规则未更改。{message}",
  "watchlist.rvol": "量比",
  "watchlist.rvolTitle": "量比：成交量为该时段通常水平的 {value}",
  "watchlist.trend": "走势",
  "wl.sortRvol": "量比",
};
