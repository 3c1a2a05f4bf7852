import type { CalibrationModel } from './calibration.js';

// Written by `npm run calibrate`; do not edit by hand.
export const CALIBRATION_MODEL: CalibrationModel = {
  "features": [
    "queryCoverage",
    "questionCoverage",
    "coverageProduct",
    "margin",
    "queryCoverageMargin",
    "questionCoverageMargin",
    "distinctiveness",
    "unknownShare",
    "length",
    "keyCoverage",
    "keyCoverageMargin",
    "learned",
    "learnedMargin",
    "learnedNone",
    "learnedAgrees"
  ],
  "mean": [
    0.8311,
    0.6474,
    0.5559,
    0.1539,
    0.1227,
    0.2007,
    0.2555,
    0.0363,
    2.58,
    0.5164,
    0.2283,
    0.4704,
    0.4263,
    0.2471,
    0.8013
  ],
  "scale": [
    0.1946,
    0.2582,
    0.2709,
    0.1392,
    0.1722,
    0.2412,
    0.1835,
    0.1141,
    0.4648,
    0.3316,
    0.3433,
    0.3537,
    0.3696,
    0.3288,
    0.399
  ],
  "weights": [
    0.4456,
    0.0032,
    0.1147,
    0.3656,
    0.5451,
    -0.058,
    -0.2547,
    -0.1161,
    0.2847,
    -0.2114,
    0.2345,
    0.3976,
    0.7691,
    -1.0677,
    0.4734
  ],
  "bias": 1.0092,
  "fitted": {
    "date": "2026-11-30",
    "entries": 46,
    "folds": 5,
    "heldOutAlternates": 1525,
    "heldOutFoundTheirEntry": 1397,
    "outOfScope": 448
  }
};
