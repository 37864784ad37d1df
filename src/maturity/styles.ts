// The few styles maturity pages need beyond govuk-frontend, served as a stylesheet (CSP allows no inline style).
export const MATURITY_CSS = `
.maturity-chart { width: 100%; max-width: 60rem; height: auto; display: block; margin-bottom: 20px; }
.maturity-heat { text-align: center; font-weight: 700; }
.maturity-heat--1 { background: #f4d7d2; color: #0b0c0c; }
.maturity-heat--2 { background: #fbe6c6; color: #0b0c0c; }
.maturity-heat--3 { background: #d2e2f1; color: #0b0c0c; }
.maturity-heat--4 { background: #0b5c78; color: #ffffff; }
.maturity-heat--none { color: #505a5f; }
.maturity-evidence { border-left: 5px solid #1d70b8; padding: 10px 15px; background: #f3f2f1; margin-bottom: 20px; }
.maturity-question { margin-bottom: 30px; }
.maturity-scroll { overflow-x: auto; }
.maturity-legend li { display: inline-block; margin-right: 20px; }
.maturity-chart text { fill: #0b0c0c; font-size: 13px; }
`;
