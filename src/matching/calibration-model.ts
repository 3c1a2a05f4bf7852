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
    "length"
  ],
  "mean": [
    0.7685,
    0.3353,
    0.2761,
    0.109,
    0.1111,
    0.1058,
    0.3376,
    0.0992,
    2.5006
  ],
  "scale": [
    0.2167,
    0.18,
    0.1809,
    0.1033,
    0.1331,
    0.1569,
    0.1835,
    0.1954,
    0.3541
  ],
  "weights": [
    0.9879,
    0.0138,
    0.2634,
    0.4278,
    0.4589,
    0.1268,
    0.376,
    -0.2264,
    0.1851
  ],
  "bias": 0.0008,
  "fitted": {
    "date": "2026-11-27",
    "entries": 46,
    "heldOutAlternates": 682,
    "heldOutFoundTheirEntry": 516,
    "outOfScope": 295
  }
};
