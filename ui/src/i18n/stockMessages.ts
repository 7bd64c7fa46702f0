// The A-share panel under the chart (Tushare daily_basic and moneyflow), merged into the main
// tables in messages.ts. Same keys in both languages; the dictionaries test checks it.

export const stockEn = {
  "stock.title": "Daily indicators",
  "stock.asOf": "as of {date}",
  "stock.none": "No daily figures stored yet: they arrive with the Tushare sync after the close.",
  "stock.error": "Daily figures could not be loaded. {message}",
  "stock.turnover": "Turnover",
  "stock.volumeRatio": "Volume ratio",
  "stock.pe": "P/E",
  "stock.peTtm": "P/E (TTM)",
  "stock.pb": "P/B",
  "stock.totalMv": "Market value",
  "stock.circMv": "Free-float value",
  "stock.notPublished": "not published",
  "stock.flowTitle": "Main-force net inflow (large + extra-large orders), last {days} days",
  "stock.flowLarge": "Large {value}",
  "stock.flowXlarge": "Extra-large {value}",
  "stock.flowNone": "No money-flow figures stored.",
} as const;

export const stockZh: Record<keyof typeof stockEn, string> = {
  "stock.title": "每日指标",
  "stock.asOf": "截至 {date}",
  "stock.none": "尚无每日指标：收盘后随 Tushare 同步到达。",
  "stock.error": "无法加载每日指标。{message}",
  "stock.turnover": "换手率",
  "stock.volumeRatio": "量比",
  "stock.pe": "市盈率",
  "stock.peTtm": "市盈率 (TTM)",
  "stock.pb": "市净率",
  "stock.totalMv": "总市值",
  "stock.circMv": "流通市值",
  "stock.notPublished": "未公布",
  "stock.flowTitle": "主力净流入（大单 + 特大单），近 {days} 日",
  "stock.flowLarge": "大单 {value}",
  "stock.flowXlarge": "特大单 {value}",
  "stock.flowNone": "尚无资金流向数据。",
};
