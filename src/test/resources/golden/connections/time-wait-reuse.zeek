#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	XXXX-XX-XX-XX-XX-XX
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	ip_proto	community_id	outcome	orig_state	resp_state	syn_retries	handshake_rtt_ms	retransmits	time_wait_at_end	reused_time_wait	midstream	continues	continued_in
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	count	string	string	string	string	count	double	count	bool	bool	bool	string	string
1796309009.604173	C9DTeO1QG544Z76nb5	10.200.0.1	40000	10.200.0.2	8080	tcp	-	0.200928	100	1000	SF	-	-	0	ShADadfF	6	420	5	1268	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	complete	closed	closed	0	0.095000	0	F	F	F	-	-
1796309010.805529	C8923T0y6R3e41zXD3	10.200.0.1	40000	10.200.0.2	8080	tcp	-	0.200964	100	1000	SF	-	-	0	ShADadfF	6	420	5	1268	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	complete	closed	time-wait	0	0.044000	0	T	T	F	-	-
#close	XXXX-XX-XX-XX-XX-XX
