// HRTF
