@camara-v1 @security_profile
Feature: CAMARA Security and Interoperability Profile - the token endpoint
  # The authorisation server in front of the API must authenticate clients by
  # private_key_jwt (RFC 7523) and serve CIBA in poll mode. These scenarios call the token
  # endpoint, not the API.
  #
  # Testing assets (target file [auth]):
  # * client_auth = "private_key_jwt", client_id and private_key_file (or private_key_env):
  #   a client whose public key the server knows
  # * ciba_url (or openid_configuration_url) and device_login_hint: a CIBA test device
  #
  # A refused client assertion is answered 400 or 401: RFC 6749 §5.2 answers errors with 400
  # "unless specified otherwise" and lets invalid_client use 401 ("MAY"); it requires 401 only
  # when the client authenticated with the Authorization header, which private_key_jwt does not.

  @security_profile_01_unknown_key
  Scenario: A client assertion signed by an unknown key is refused
    Required by: RFC 7523 §3
    Required by: RFC 7523 §3.1
    Required by: RFC 6749 §5.2
    Given a client assertion signed by a key the server does not know
    When a token is requested with client_credentials
    Then the token response status code is 400 or 401
    And the token response property "$.error" is "invalid_client"

  @security_profile_02_expired_assertion
  Scenario: An expired client assertion is refused
    Required by: RFC 7523 §3
    Required by: RFC 7523 §3.1
    Required by: RFC 6749 §5.2
    Given an expired client assertion
    When a token is requested with client_credentials
    Then the token response status code is 400 or 401
    And the token response property "$.error" is "invalid_client"

  @security_profile_03_replayed_jti
  Scenario: A client assertion is accepted only once
    Required by: OpenID Connect Core §9
    Required by: RFC 7523 §3.1
    Required by: RFC 6749 §5.2
    Given a client assertion that the token endpoint has already accepted
    When a token is requested with client_credentials
    Then the token response status code is 400 or 401
    And the token response property "$.error" is "invalid_client"

  @security_profile_04_long_lived_assertion @advisory
  Scenario: A client assertion valid for more than 300 seconds is refused
    Required by: RFC 7523 §3
    Required by: RFC 6749 §5.2
    Advisory: RFC 7523 §3 (item 4): the authorization server "MAY reject JWTs with an "exp" claim value that is unreasonably far in the future"; the 300-second limit is not in any document of the set.
    Given a client assertion valid for more than 300 seconds
    When a token is requested with client_credentials
    Then the token response status code is 400 or 401
    And the token response property "$.error" is "invalid_client"

  @security_profile_05_wrong_audience
  Scenario: A client assertion meant for another server is refused
    Required by: RFC 7523 §3
    Required by: RFC 7523 §3.1
    Required by: RFC 6749 §5.2
    Given a client assertion for another audience than the server
    When a token is requested with client_credentials
    Then the token response status code is 400 or 401
    And the token response property "$.error" is "invalid_client"

  @security_profile_06_wrong_issuer
  Scenario: A client assertion whose issuer is not the client is refused
    Required by: RFC 7523 §3
    Required by: OpenID Connect Core §9
    Required by: RFC 6749 §5.2
    Given a client assertion whose issuer is not the client id
    When a token is requested with client_credentials
    Then the token response status code is 400 or 401
    And the token response property "$.error" is "invalid_client"

  @security_profile_07_ciba_slow_down @advisory
  Scenario: Polling for a CIBA token faster than the interval is slowed down
    Required by: OpenID CIBA Core §7.3
    Required by: OpenID CIBA Core §11
    Advisory: OpenID CIBA Core §11 defines slow_down as an error the OP may return ("polling should continue, but the interval MUST be increased"); no section requires the OP to send it when a client polls too fast, so answering authorization_pending is as conformant.

    Given a CIBA authentication request for the test device
    When the token endpoint is polled for it twice without waiting
    Then the token response status code is 400
    And the token response property "$.error" is "slow_down"

  @security_profile_08_ciba_early_poll
  Scenario: A CIBA poll that comes sooner than the interval gets an answer CIBA allows
    Required by: OpenID CIBA Core §11
    Required by: RFC 6749 §5.1
    Required by: RFC 6749 §5.2

    Given a CIBA authentication request for the test device
    When the token endpoint is polled for it twice without waiting
    Then the token response is an answer CIBA allows to a poll that came too soon
