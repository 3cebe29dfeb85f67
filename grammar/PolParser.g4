// The syntax of .pol files: the single definition of polc's grammar.
//
// Tokens come from a hand-written lexer (compiler/syntax/src/Lexer.cpp) that feeds this parser
// through an antlr4::TokenSource. It exists for speed (ANTLR's generated lexer re-simulates its
// DFA for every non-ASCII character, and policies are mostly Japanese prose) and for precise
// literal errors. The `tokens` block below is the contract between the two; the lexer's keyword
// table and docs/language.md list the spelling of each token.
parser grammar PolParser;

tokens {
  // literals
  ID, INT, STRING, DURATION, LEVEL_LIT, DATE, IPV4, IPV6, PORT, PROTO,
  // punctuation
  SEMI, COMMA, DOT, DOTDOT, COLON, LBRACE, RBRACE, LPAREN, RPAREN, LBRACK, RBRACK,
  ARROW, BIARROW, BANG, ASSIGN, EQ, NEQ, LT, LE, GT, GE,
  // header keywords
  POLICY, VERSION, LAYER, LAYERS, IMPORT, AS, REFINES,
  // declaration keywords
  SECTION, ZONE, HOST, SERVICE, ROLE, CLASSIFICATION, LEVEL, ORDER, ASSET, SETTING, FIREWALL,
  INTERFACE, ENDPOINT_PROFILE, EXCEPTION, TERM, THREAT, ORGANIZATION, REFINE,
  // statement keywords
  TEXT, ALLOW, DENY, REQUIRE, SET, ATTEST, CHECK, EXPECT, ACCEPT, FLOW, UNLESS, VIA, ON, IN, NOT, ANY,
  PLATFORM, AUTHORITY, APPROVED_BY, REQUESTED_BY, UNTIL, OWNER, METHOD, EVERY, CATEGORY, EVIDENCE,
  TRUE, FALSE,
  // revision history (改定履歴)
  REVISION
}

// ---- files -------------------------------------------------------------------------------
// Headers are items so that one out of place gets a targeted error instead of a parse error.
file : item* EOF ;

item
  : policyHeader
  | layerHeader
  | importHeader
  | layersDecl
  | revisionDecl
  | section
  | declaration
  | statement
  ;

policyHeader : POLICY declName STRING (VERSION STRING)? SEMI ;
// layer standard "情報セキュリティ対策基準" public refines basic;
layerHeader  : LAYER declName STRING? visibility=ID? (REFINES declName)? SEMI ;
importHeader : IMPORT qualifiedName (AS declName)? SEMI ;
// layers basic > standard > procedure;   (highest first)
layersDecl   : LAYERS declName (GT declName)+ SEMI ;

// One entry of the layer's 改定履歴: when the layer took effect in this form, what changed, the
// policy version it belongs to and the role that approved it. Top level of a layer file only.
// revision 2026-04-01 "全部改正" version "2026.03" approved_by ciso;
revisionDecl : REVISION date=DATE summary+=STRING+ (VERSION version=STRING)? (APPROVED_BY qualifiedName)? SEMI ;

// section "6(3)ア" "マイナンバー利用事務系" { ... }
section : SECTION number=STRING title=STRING? LBRACE item* RBRACE ;

// ---- declarations ------------------------------------------------------------------------
declaration
  : zoneDecl
  | hostDecl
  | serviceDecl
  | roleDecl
  | classificationDecl
  | assetDecl
  | settingDecl
  | firewallDecl
  | endpointProfileDecl
  | exceptionDecl
  | glossaryDecl
  ;

// `refine` marks a lower layer adding detail (e.g. addresses) to a declaration made above.
zoneDecl  : REFINE? ZONE declName STRING? declBody ;
hostDecl  : REFINE? HOST declName STRING? (IN qualifiedName)? declBody ;
// service dns "DNS" = tcp/53, udp/53;
serviceDecl : SERVICE declName STRING? ASSIGN value (COMMA value)* SEMI ;
roleDecl  : ROLE declName STRING? (AUTHORITY INT)? declBody ;
classificationDecl : CLASSIFICATION declName STRING? LBRACE classificationMember* RBRACE ;
classificationMember
  : LEVEL levelName STRING? SEMI                     # levelMember
  | ORDER levelName (LT levelName)+ SEMI             # orderMember
  | textStmt                                         # classificationText
  ;
levelName : INT | LEVEL_LIT | ID ;
assetDecl : REFINE? ASSET declName STRING? declBody ;
// setting screen_lock.idle "画面ロックまでの時間" : duration 1m..24h;
settingDecl : SETTING settingName STRING? COLON typeExpr declBody ;
// `level` is a keyword (classification members) but also names the level(LATTICE) type;
// `role` likewise names the type whose values are roles (`exception.approver : role`).
typeExpr  : name=(ID | LEVEL | ROLE) (LPAREN typeArg (COMMA typeArg)* RPAREN)? rangeValue? ;
typeArg   : ID | STRING | LEVEL_LIT | INT ;
firewallDecl : REFINE? FIREWALL declName STRING? PLATFORM ID declBody ;
endpointProfileDecl : ENDPOINT_PROFILE declName STRING? PLATFORM ID scope? declBody ;
exceptionDecl : EXCEPTION declName STRING? exceptionClause* LBRACE item* RBRACE ;
exceptionClause
  : APPROVED_BY qualifiedName
  | REQUESTED_BY qualifiedName
  | UNTIL value
  | scope
  ;
// term / threat / organization: named prose the policy defines (定義, 脅威, 適用範囲).
glossaryDecl : kind=(TERM | THREAT | ORGANIZATION) declName STRING? declBody ;

declBody : LBRACE member* RBRACE | SEMI ;
member
  : property
  | interfaceMember
  | item
  ;
// address 10.20.0.0/16, 2001:db8:20::/48;
property : propertyName (value (COMMA value)*)? SEMI ;
// Clause words that can never start an item may also name a property (`owner security_manager;`).
propertyName : ID | OWNER | METHOD | EVERY | CATEGORY | EVIDENCE | PLATFORM | AUTHORITY | VERSION | UNTIL ;
// interface eth0 zone lgwan;
interfaceMember : INTERFACE name=memberName ZONE qualifiedName declBody ;
// eth0, eth0.20, ge-0/0/0.0, reth0.100 (one token: the lexer reads the word after `interface` as
// an interface name), or any name as a string: "GigabitEthernet0/1"
memberName : STRING | ID ;

// ---- statements --------------------------------------------------------------------------
statement
  : textStmt
  | flowStmt
  | requireStmt
  | setStmt
  | attestStmt
  | checkStmt
  | expectStmt
  | acceptStmt
  ;

// Adjacent strings concatenate, so long prose can span lines.
textStmt : TEXT STRING+ SEMI ;

flowStmt : action=(ALLOW | DENY) flowSpec sanitizerClause? SEMI ;
flowSpec : src=endpoint arrow=(ARROW | BIARROW) dst=endpoint (SERVICE value)? ;
sanitizerClause : UNLESS VIA ID LPAREN qualifiedName (COMMA qualifiedName)* RPAREN ;

endpoint : BANG? endpointAtom ;
endpointAtom
  : ANY                                                    # anyEndpoint
  | qualifiedName                                          # namedEndpoint
  | (IPV4 | IPV6)                                          # addressEndpoint
  | LBRACK endpoint (COMMA endpoint)* COMMA? RBRACK        # groupEndpoint
  | LPAREN endpoint RPAREN                                 # parenEndpoint
  ;

requireStmt
  : REQUIRE FLOW flowSpec scope? SEMI                      # requireFlow
  | REQUIRE settingName compareOp value scope? SEMI        # requireCompare
  | REQUIRE settingName NOT? IN value scope? SEMI          # requireMembership
  ;
compareOp : EQ | NEQ | LT | LE | GT | GE ;

setStmt : SET settingName ASSIGN value scope? SEMI ;
// A value that no generated file configures, done by hand and vouched for by a role:
// attest auth.factors = 2 owner system_admin method inspection evidence "認証製品の設定画面";
attestStmt : ATTEST settingName ASSIGN value scope? checkClause* SEMI ;

// on zone mynumber / on profile lgwan_pc / on host fw_core, zone lgwan
scope : ON scopeTarget (COMMA scopeTarget)* ;
scopeTarget : kind=(ZONE | HOST | ID) qualifiedName ;

// check self_inspection "…か" owner system_admin method interview every fiscal_year;
checkStmt : CHECK kind=ID STRING checkClause* SEMI ;
checkClause
  : OWNER qualifiedName                                    # ownerClause
  | METHOD ID (COMMA ID)*                                  # methodClause
  | EVERY value                                            # everyClause
  | CATEGORY ID                                            # categoryClause
  | EVIDENCE STRING                                        # evidenceClause
  ;

// expect deny mynumber -> internet service https;              (polc test, polc check E0960)
// expect auth.password.min_length >= 12 on host lgwan_pc_01;   (a setting's effective value, E1104)
expectStmt
  : EXPECT action=(ALLOW | DENY) flowSpec SEMI               # expectFlow
  | EXPECT settingName compareOp value scope? SEMI          # expectCompare
  | EXPECT settingName NOT? IN value scope? SEMI            # expectMembership
  ;

// Inside an exception: the relay is accepted, with the exception's approver and expiry, as the
// first hop of multi-hop paths out of a denied boundary (E0961 / W0960).
// accept relay eltax_relay;
acceptStmt : ACCEPT kind=ID qualifiedName SEMI ;

// ---- values ------------------------------------------------------------------------------
value
  : rangeValue                                             # rangeVal
  | LBRACK (value (COMMA value)* COMMA?)? RBRACK           # listVal
  | ID LPAREN (value (COMMA value)*)? RPAREN               # callVal
  | scalar                                                 # scalarVal
  ;
rangeValue : lo=rangeBound DOTDOT hi=rangeBound ;
rangeBound : INT | DURATION | DATE ;
scalar
  : INT | STRING | DURATION | LEVEL_LIT | DATE | TRUE | FALSE
  | IPV4 | IPV6 | PORT | PROTO | ANY
  | qualifiedName
  ;

// Names are ASCII identifiers. After a dot any keyword is a plain name segment, so settings
// like `remote_access.method` read naturally.
qualifiedName : ID (DOT nameSegment)* ;
nameSegment : ID | keyword ;
// A setting name may also start with a keyword (`exception.approver`): the dot that must
// follow tells it apart from the declaration or statement the keyword would start.
settingName : qualifiedName | keyword (DOT nameSegment)+ ;
declName : ID ;
keyword
  : POLICY | VERSION | LAYER | LAYERS | IMPORT | AS | REFINES | SECTION | ZONE | HOST | SERVICE
  | ROLE | CLASSIFICATION | LEVEL | ORDER | ASSET | SETTING | FIREWALL | INTERFACE
  | ENDPOINT_PROFILE | EXCEPTION | TERM | THREAT | ORGANIZATION | REFINE | TEXT | ALLOW | DENY
  | REQUIRE | SET | ATTEST | CHECK | EXPECT | ACCEPT | FLOW | UNLESS | VIA | ON | IN | NOT | ANY | PLATFORM
  | AUTHORITY | APPROVED_BY | REQUESTED_BY | UNTIL | OWNER | METHOD | EVERY | CATEGORY | EVIDENCE | TRUE | FALSE
  | REVISION
  ;
