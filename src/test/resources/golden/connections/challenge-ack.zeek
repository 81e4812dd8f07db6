#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	XXXX-XX-XX-XX-XX-XX
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	ip_proto	community_id	outcome	orig_state	resp_state	syn_retries	handshake_rtt_ms	retransmits	time_wait_at_end	reused_time_wait	midstream	continues	continued_in
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	count	string	string	string	string	count	double	count	bool	bool	bool	string	string
1796311250.398546	C9DTeO1QG544Z76nb5	10.200.0.1	40000	10.200.0.2	8080	tcp	-	0.000226	100	1000	S1	-	-	0	ShADad	4	316	3	1164	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	half-open	closed	closed	0	0.035000	0	F	F	F	-	-
1796311250.807375	CI76zF1WTWexwsJyji	10.200.0.1	40000	10.200.0.2	8080	tcp	-	0.000043	0	0	RSTOS0	-	-	0	SaR	2	100	1	52	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	continued	syn-sent	closed	0	-	0	F	F	F	-	CsfYyr4AduLJvTgTac
1796311250.820237	CsfYyr4AduLJvTgTac	10.200.0.1	40000	10.200.0.2	8080	tcp	-	0.200989	100	1000	SF	-	-	0	ShADadFf	6	420	5	1268	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	complete	time-wait	closed	1	0.089000	0	T	F	F	CI76zF1WTWexwsJyji	-
#close	XXXX-XX-XX-XX-XX-XX
