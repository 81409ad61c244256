"""Identity and hardening shared by every interface: OpenID Connect (FranceConnect,
agents' single sign-on), agents' second factor, API keys, upload checks."""
