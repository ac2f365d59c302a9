#pragma once
// Shared constants; #pragma once lets several headers include this safely.
const float PI = 3.14159265;

float saturate(float x) { return clamp(x, 0.0, 1.0); }
