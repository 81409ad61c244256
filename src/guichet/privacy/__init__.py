"""Personal data by design (RGPD): access log, export and erasure of a person's data,
retention sweeps, the register of processing activities."""
